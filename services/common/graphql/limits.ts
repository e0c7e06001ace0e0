/**
 * Limits on an operation's shape, checked at parse and validation time before anything runs: by the gateway
 * for every client, and by each subgraph as well, for whatever reaches it directly. Its estimated cost is
 * checked just before execution, once the variables (page sizes) are known.
 */
import { getDirectiveExtensions } from "@graphql-tools/utils";
import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  typeFromAST,
  valueFromAST,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

/** Limits that reject an operation before it runs. */
export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxTokens: number;
  readonly maxAliases: number;
  /** The estimated cost (see `estimateCost`) above which an operation is refused: COST_ESTIMATED_TOO_EXPENSIVE. */
  readonly maxCost: number;
  /** How long a list is assumed to be when no `@listSize` says (every list of ours says). */
  readonly listSize: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxTokens: 3000,
  maxAliases: 30,
  maxCost: 50_000,
  listSize: 20,
};

/** The largest answer the gateway sends (PASSERELLE_MAX_RESPONSE_BYTES): RESPONSE_TOO_LARGE beyond it. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** `@listSize(assumedSize: n)`: a list that has no page argument, and is at most about `n` long. */
export function listSize(assumedSize: number): string {
  return `@listSize(assumedSize: ${assumedSize})`;
}

/** At most `max` aliased fields in one operation: aliases multiply the work a small query asks for. */
export function maxAliasesRule(max: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias && ++aliases === max + 1) {
          context.reportError(
            new GraphQLError(`Too many aliases: at most ${max} per operation.`, {
              nodes: [node],
              extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
            }),
          );
        }
      },
    };
  };
}

interface ListSizeAnnotation {
  readonly assumedSize?: number;
  readonly slicingArguments?: readonly string[];
  readonly sizedFields?: readonly string[];
}

interface CostAnnotations {
  readonly listSize?: ListSizeAnnotation;
  readonly weight?: number;
}

const annotationsOf = new WeakMap<object, CostAnnotations>();

/** A field's or a type's `@listSize` and `@cost`, read once (from its SDL, or the gateway's extensions). */
function annotations(schema: GraphQLSchema, element: GraphQLField<unknown, unknown> | GraphQLNamedType) {
  let found = annotationsOf.get(element);
  if (!found) {
    const directives = getDirectiveExtensions<{ listSize: ListSizeAnnotation; cost: { weight: number } }>(
      element,
      schema,
    );
    const weight = Number(directives.cost?.[0]?.weight);
    found = { listSize: directives.listSize?.[0], weight: Number.isFinite(weight) ? weight : undefined };
    annotationsOf.set(element, found);
  }
  return found;
}

/** What an operation is estimated from: the operation, its fragments, its variables. */
export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly operation: OperationDefinitionNode;
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variables: Readonly<Record<string, unknown>> | null | undefined;
}

/** The operation a document runs (by name, or its only one) and its fragments; undefined when there is none. */
export function operationOf(
  document: DocumentNode,
  operationName?: string | null,
): Pick<CostInput, "operation" | "fragments"> | undefined {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation || (!operationName && operations.length > 1)) return undefined;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return { operation, fragments };
}

/**
 * An operation's estimated cost, as GraphQL demand control (the `@cost`/`@listSize` directives) counts it:
 * each object a field returns costs 1 (or its `@cost` weight), a scalar 0, a mutation 10 more; and each field
 * counts as many times as the lists above it are long. A list is as long as its page argument
 * (`@listSize(slicingArguments: ["first"], sizedFields: ["edges"])`: the connection's `edges` are `first` long),
 * else its `assumedSize`, else `listSize`; an entity fetch as long as its representations. Named fragments
 * count where they are spread; `@skip`/`@include` are ignored (an upper bound). At most 2^53 - 1.
 */
export function estimateCost(input: CostInput, listSize: number): number {
  const { schema, fragments } = input;
  const variables = input.variables ?? {};
  const argument = (field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): number => {
    const definition = field.args.find((arg) => arg.name === name);
    const given = node.arguments?.find((arg) => arg.name.value === name);
    if (!definition) return NaN;
    return Number(given ? valueFromAST(given.value, definition.type, variables) : definition.defaultValue);
  };
  /** How long a field's list is (1 if not a list), and how long it makes its children's lists. */
  const lengths = (field: GraphQLField<unknown, unknown>, node: FieldNode, sized: ReadonlyMap<string, number>) => {
    const children = new Map<string, number>();
    const inherited = sized.get(field.name);
    if (inherited !== undefined) return { length: inherited, children };
    const { listSize: annotation } = annotations(schema, field);
    if (annotation?.slicingArguments?.length) {
      const given = annotation.slicingArguments.map((name) => argument(field, node, name)).filter((n) => n >= 1);
      const size = given.length > 0 ? Math.max(...given) : (annotation.assumedSize ?? listSize);
      if (!annotation.sizedFields?.length) return { length: size, children };
      for (const name of annotation.sizedFields) children.set(name, size);
      return { length: 1, children };
    }
    if (annotation?.assumedSize !== undefined) return { length: annotation.assumedSize, children };
    if (!isListType(getNullableType(field.type))) return { length: 1, children };
    const representations = field.name === "_entities" ? numberOfRepresentations(node, variables) : null;
    return { length: representations ?? listSize, children };
  };
  // A fragment's cost per unit of the factor it is spread under, once per fragment and sizing: a fragment
  // spread many times over, in fragments spread many times over, is priced in linear time.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string, sized: ReadonlyMap<string, number>): number => {
    const key = `${name}:${[...sized].join(",")}`;
    let unit = fragmentCosts.get(key);
    if (unit === undefined) {
      fragmentCosts.set(key, 0); // a cycle (invalid anyway) adds nothing
      const fragment = fragments[name];
      const type = fragment && typeFromAST(schema, fragment.typeCondition);
      unit = fragment && type ? selectionCost(fragment.selectionSet, getNamedType(type), 1, sized) : 0;
      fragmentCosts.set(key, unit);
    }
    return unit;
  };
  const selectionCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType,
    factor: number,
    sized: ReadonlyMap<string, number>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parent;
        if (type) cost += selectionCost(selection.selectionSet, getNamedType(type), factor, sized);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        cost += factor * fragmentCost(selection.name.value, sized);
      } else {
        const field =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field) continue; // __typename and introspection are free
        const type = getNamedType(field.type);
        const { length, children } = lengths(field, selection, sized);
        const times = factor * length;
        const weight =
          (annotations(schema, field).weight ?? 0) +
          (annotations(schema, type).weight ?? (isCompositeType(type) ? 1 : 0));
        cost += weight * times;
        if (selection.selectionSet) cost += selectionCost(selection.selectionSet, type, times, children);
      }
    }
    return cost;
  };
  const root = schema.getRootType(input.operation.operation);
  if (!root) return 0;
  const base = input.operation.operation === "mutation" ? 10 : 0;
  return Math.min(base + selectionCost(input.operation.selectionSet, root, 1, new Map()), Number.MAX_SAFE_INTEGER);
}

function numberOfRepresentations(node: FieldNode, variables: Readonly<Record<string, unknown>>): number | null {
  const value = node.arguments?.find((arg) => arg.name.value === "representations")?.value;
  if (value?.kind === Kind.LIST) return value.values.length;
  if (value?.kind === Kind.VARIABLE) {
    const list = variables[value.name.value];
    return Array.isArray(list) ? list.length : null;
  }
  return null;
}

/** The refusal of an operation estimated above `max`, in the form Hive Gateway's demand control gives it. */
export function tooExpensive(estimated: number, max: number): GraphQLError {
  return new GraphQLError(
    `Operation estimated cost ${estimated} exceeded configured maximum ${max}: ask for smaller pages (first) or fewer nested lists.`,
    { extensions: { code: "COST_ESTIMATED_TOO_EXPENSIVE", cost: { estimated, max } } },
  );
}

/**
 * Makes a schema refuse, before any resolver runs, an operation estimated above `maxCost`: every root field
 * (and subscription) checks the operation's cost first, computed once per execution. This is how a subgraph
 * keeps the gateway's cost limit for whatever reaches it, entity fetches included.
 */
export function refuseCostlyOperations(schema: GraphQLSchema, limits: Pick<OperationLimits, "maxCost" | "listSize">) {
  const costs = new WeakMap<object, number>();
  const check = (info: GraphQLResolveInfo) => {
    let cost = costs.get(info.variableValues);
    if (cost === undefined) {
      cost = estimateCost(
        { schema: info.schema, operation: info.operation, fragments: info.fragments, variables: info.variableValues },
        limits.listSize,
      );
      costs.set(info.variableValues, cost);
    }
    if (cost > limits.maxCost) throw tooExpensive(cost, limits.maxCost);
  };
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (root === schema.getSubscriptionType()) {
        const subscribe = field.subscribe;
        if (!subscribe) continue;
        field.subscribe = (source, args, context, info) => {
          check(info);
          return subscribe(source, args, context, info);
        };
      } else {
        const resolve = field.resolve ?? defaultFieldResolver;
        field.resolve = (source, args, context, info) => {
          check(info);
          return resolve(source, args, context, info);
        };
      }
    }
  }
}

/** The refusal of an answer that would be `bytes` long, over `max`. */
export function responseTooLarge(bytes: number, max: number): GraphQLError {
  return new GraphQLError(
    `The answer would be ${bytes} bytes, over the bound of ${max}: ask for smaller pages (first) or fewer fields.`,
    { extensions: { code: "RESPONSE_TOO_LARGE", bytes, max } },
  );
}
