/**
 * How much of the rows a bulk write returns: 'entities' reads them back (every column, as entities), 'ids'
 * returns references (the id and nothing else loaded) when the caller needs no more — e.g. a GraphQL push of
 * 1000 records that asks only for their ids skips reading and hydrating 1000 rows it has just written.
 */
export type AnswerDetail = 'entities' | 'ids';
