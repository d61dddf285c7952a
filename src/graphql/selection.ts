/**
 * What a query asks for of a resolved field's answer, read from the operation's selection (fragments
 * followed), for resolvers that can skip work nobody asked for — e.g. reading back the upserted rows of a
 * mutation that only wants their ids.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { AnswerDetail } from '../shared/answer-detail.js';

/**
 * The names of the fields selected under `child` (any alias) of the field being resolved, or under the field
 * itself without `child`. Directives are not
 * evaluated: a field under `@skip` / `@include` counts as selected, so the answer errs on the side of asking.
 */
export function selectedFieldsOf(info: GraphQLResolveInfo, child?: string): Set<string> {
  const names = new Set<string>();
  const visited = new Set<string>();
  const fieldsIn = (set: SelectionSetNode | undefined, collect: (name: string, subSet: SelectionSetNode | undefined) => void): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) collect(selection.name.value, selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) fieldsIn(selection.selectionSet, collect);
      else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        fieldsIn(info.fragments[selection.name.value]?.selectionSet, collect);
      }
    }
  };
  const childSets: SelectionSetNode[] = [];
  if (child === undefined) for (const node of info.fieldNodes) node.selectionSet && childSets.push(node.selectionSet);
  else for (const node of info.fieldNodes) fieldsIn(node.selectionSet, (name, subSet) => void (name === child && subSet && childSets.push(subSet)));
  visited.clear();
  for (const set of childSets) fieldsIn(set, (name) => void names.add(name));
  return names;
}

/** 'ids' when the query asks for nothing but the ids (and __typename) of the rows under `child` (or the field itself). */
export function answerDetail(info: GraphQLResolveInfo, child?: string): AnswerDetail {
  for (const field of selectedFieldsOf(info, child)) if (field !== 'id' && field !== '__typename') return 'entities';
  return 'ids';
}
