/**
 * The one mapping from what can go wrong to GraphQL `extensions.code`: domain rules, bad input, unknown ids,
 * concurrency conflicts, identity, consistency waits. Anything else is an internal error whose details stay
 * in the log.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError, Kind, parse, visit, type ASTNode } from "graphql";
import type { ValidationError } from "class-validator";
import { ArgumentValidationError, AuthenticationError, AuthorizationError } from "type-graphql";
import { isNamedError, refusalOf, type ErrorCode } from "./refusals";
import { InvalidScalarValue } from "./scalars";

export function unauthenticated(message = "Sign in: send `Authorization: Bearer <token>`."): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED" } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
}

/** The path of the first failing property, nested ones joined by dots (`input.amount.currency`). */
function firstField(errors: readonly ValidationError[], prefix = ""): string | undefined {
  const error = errors[0];
  if (!error) return undefined;
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  return error.children?.length ? (firstField(error.children, path) ?? path) : path;
}

function messages(errors: readonly ValidationError[], prefix = ""): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [
      ...Object.values(error.constraints ?? {}).map((m) => `${path}: ${m}`),
      ...messages(error.children ?? [], path),
    ];
  });
}

/**
 * The input field a bad value was given for, relative to the argument (`signedOn`, `period.from`) as the
 * other BAD_USER_INPUT errors name it: from graphql-js's message for variables ("… at \"input.signedOn\""), or,
 * for a literal in the query, from the arguments and input fields around the value the error points at.
 */
function fieldOfBadValue(error: GraphQLError): string | undefined {
  const relative = (path: string[]) => (path.length > 1 ? path.slice(1) : path).join(".");
  const inVariable = /at "([^"]+)"/.exec(error.message);
  if (inVariable) return relative(inVariable[1]!.split("."));
  const start = error.nodes?.[0]?.loc?.start;
  const body = error.source?.body;
  if (start === undefined || body === undefined) return undefined;
  let field: string | undefined;
  visit(parse(body), {
    enter(node, _key, _parent, _path, ancestors) {
      if ((node.kind !== Kind.OBJECT_FIELD && node.kind !== Kind.ARGUMENT) || node.value.loc?.start !== start) return;
      const names = [...ancestors, node].flatMap((a) =>
        !Array.isArray(a) && ((a as ASTNode).kind === Kind.OBJECT_FIELD || (a as ASTNode).kind === Kind.ARGUMENT)
          ? [(a as { name: { value: string } }).name.value]
          : [],
      );
      field = relative(names);
    },
  });
  return field;
}

/** Fields of bad literal values, noted while the query's AST is still at hand (see badValueFields). */
const badValueField = new WeakMap<object, string>();

/**
 * Apollo plugin: graphql-js reports a bad literal with its AST node, which Apollo drops before formatError;
 * note the field here, keyed by the scalar's own error, so the formatter can name it.
 */
export const badValueFields: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async validationDidStart() {
        return async (errors?: readonly Error[]) => {
          for (const error of (errors ?? []) as readonly GraphQLError[]) {
            const refusal = scalarRefusal(error);
            const field = refusal ? fieldOfBadValue(error) : undefined;
            if (refusal && field) badValueField.set(refusal, field);
          }
        };
      },
    };
  },
};

/** A scalar's own refusal (BusinessDate, Position), found inside graphql-js's wrapping errors. */
function scalarRefusal(error: unknown): InvalidScalarValue | undefined {
  let cause = error instanceof GraphQLError ? error.originalError : undefined;
  for (let depth = 0; cause && depth < 4; depth++) {
    if (cause instanceof InvalidScalarValue) return cause;
    cause = (cause as GraphQLError).originalError;
  }
  return undefined;
}

export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export function errorFormatter(logger: ErrorLogger, exposeDetails: boolean) {
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const error = unwrapResolverError(raw);
    const base = {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    const make = (code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLFormattedError => ({
      ...base,
      message,
      extensions: { code, ...extra },
    });
    if (isNamedError(error)) {
      const refusal = refusalOf(error);
      return make(refusal.code, refusal.message ?? error.message, refusal.extensions);
    }
    if (error instanceof ArgumentValidationError) {
      const details = messages(error.extensions.validationErrors);
      return make("BAD_USER_INPUT", details.join("; ") || error.message, {
        field: firstField(error.extensions.validationErrors),
        problems: details,
      });
    }
    const refusal = scalarRefusal(raw);
    if (refusal) {
      const field = badValueField.get(refusal) ?? fieldOfBadValue(raw as GraphQLError);
      return make("BAD_USER_INPUT", refusal.message, field ? { field } : {});
    }
    if (error instanceof AuthenticationError)
      return make("UNAUTHENTICATED", "Sign in: send `Authorization: Bearer <token>`.");
    if (error instanceof AuthorizationError) return make("FORBIDDEN", "Your role does not allow this.");
    const code = formatted.extensions?.code;
    if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") {
      // GraphQL's own (parse, validation, variables) and ours thrown as GraphQLError: already typed.
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error(
      {
        err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
        path: formatted.path,
      },
      "unexpected error",
    );
    return make(
      "INTERNAL_SERVER_ERROR",
      exposeDetails && error instanceof Error ? error.message : "Internal error; it has been logged.",
    );
  };
}
