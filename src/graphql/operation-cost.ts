/**
 * graphql-query-complexity's `getComplexity` (same visitor, estimators and node budget), except for how the
 * variables are read. Its visitor coerces every variable of the operation before it costs it, and execution
 * then coerces them again: for `upsertInvoices` of 1000 invoices of 10 lines (one 11 000-object variable) the
 * two coercions were a tenth of the call's CPU (issue #17).
 *
 * The cost can depend only on variables that land in a scalar argument or directive (`first: $n`,
 * `@include(if: $x)`), and validation has already checked that every variable is used only where its type is
 * allowed: a variable of a list or input-object type can reach none of them. Those are passed on as sent
 * (an argument that takes one gets the sent value uncoerced, which the estimate never reads); the others are
 * coerced as before. Bad values in the uncoerced ones are reported by execution, which then runs nothing.
 * A list or input-object variable that was not sent is coerced too (its default value, or the missing-value
 * error), so leaving one out costs the operation exactly as before.
 */
import {
  getNullableType,
  getVariableValues,
  isLeafType,
  typeFromAST,
  TypeInfo,
  ValidationContext,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createComplexityRule, type ComplexityEstimator } from 'graphql-query-complexity';

export interface OperationCostOptions {
  readonly schema: GraphQLSchema;
  readonly query: DocumentNode;
  readonly operationName?: string;
  readonly variables: Record<string, unknown>;
  readonly estimators: ComplexityEstimator[];
  readonly maxQueryNodes: number;
}

/** The operation's cost; throws the first error found (bad variables, the node budget), as getComplexity does. */
export function operationCost(options: OperationCostOptions): number {
  const { schema, query, operationName, variables } = options;
  const typeInfo = new TypeInfo(schema);
  const errors: GraphQLError[] = [];
  const context = new ValidationContext(schema, query, typeInfo, (error) => errors.push(error));
  const visitor = createComplexityRule({ maximumComplexity: Infinity, estimators: options.estimators, operationName, maxQueryNodes: options.maxQueryNodes, variables })(context);
  // The library's own entry (onOperationDefinitionEnter), but with the variables read as above; nothing on leave
  // (it only compares against maximumComplexity, which is the caller's job here).
  visitor.OperationDefinition = {
    enter(operation: OperationDefinitionNode) {
      if (operationName !== undefined && operationName !== operation.name?.value) return;
      const coerced = [];
      const passedOn: Record<string, unknown> = {};
      for (const definition of operation.variableDefinitions ?? []) {
        const name = definition.variable.name.value;
        const type = typeFromAST(schema, definition.type);
        if (type === undefined || isLeafType(getNullableType(type)) || variables[name] == null) coerced.push(definition);
        else passedOn[name] = variables[name];
      }
      const { coerced: values, errors: variableErrors } = getVariableValues(schema, coerced, variables);
      if (variableErrors) {
        for (const error of variableErrors) context.reportError(error);
        return;
      }
      visitor.variableValues = { ...passedOn, ...values };
      const root = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() }[operation.operation];
      visitor.complexity += visitor.nodeComplexity(operation, root ?? undefined);
    },
  };
  visit(query, visitWithTypeInfo(typeInfo, visitor as unknown as Parameters<typeof visitWithTypeInfo>[1]));
  if (errors.length) throw errors.pop()!;
  return visitor.complexity;
}
