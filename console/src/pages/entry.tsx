/**
 * Saisie: the everyday commands as forms. Each form is sent with its command id (made when the form is filled,
 * kept until it succeeds: a double click or a retry appends once) and the partnership's revision when the form
 * was opened (a change made meanwhile is a conflict, offered to reload, never overwritten). A refused field is
 * shown beside that field; a broken rule beside the button.
 */
import { useId, useState, type FormEvent } from "react";
import { useMutation, useQuery, type AnyVariables, type TypedDocumentNode } from "urql";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { Failure } from "./parts";

const Partnerships = graphql(`
  query EntryPartnerships {
    partnerships(first: 100) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);

const Revision = graphql(`
  query EntryRevision($id: ID!) {
    partnership(id: $id) {
      id
      revision
    }
  }
`);

const Propose = graphql(`
  mutation EntryPropose($commandId: ID!, $input: ProposePartnershipInput!) {
    proposePartnership(commandId: $commandId, input: $input) {
      position
      replayed
    }
  }
`);
const Sign = graphql(`
  mutation EntrySign($commandId: ID!, $expectedRevision: Int, $input: SignMoUInput!) {
    signMoU(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) {
      position
      replayed
    }
  }
`);
const Renew = graphql(`
  mutation EntryRenew($commandId: ID!, $expectedRevision: Int, $input: RenewMoUInput!) {
    renewMoU(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) {
      position
      replayed
    }
  }
`);
const Amend = graphql(`
  mutation EntryAmend($commandId: ID!, $expectedRevision: Int, $input: AmendMoUInput!) {
    amendMoU(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) {
      position
      replayed
    }
  }
`);
const Suspend = graphql(`
  mutation EntrySuspend($commandId: ID!, $expectedRevision: Int, $input: SuspendPartnershipInput!) {
    suspendPartnership(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) {
      position
      replayed
    }
  }
`);
const Resume = graphql(`
  mutation EntryResume($commandId: ID!, $expectedRevision: Int, $input: ResumePartnershipInput!) {
    resumePartnership(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) {
      position
      replayed
    }
  }
`);
const Correct = graphql(`
  mutation EntryCorrect($commandId: ID!, $expectedRevision: Int, $input: CorrectFactInput!) {
    correctFact(commandId: $commandId, expectedRevision: $expectedRevision, input: $input) {
      position
      replayed
    }
  }
`);
const Mission = graphql(`
  mutation EntryMission($commandId: ID!, $input: PlanMissionInput!) {
    planMission(commandId: $commandId, input: $input) {
      position
      replayed
    }
  }
`);
const Delegation = graphql(`
  mutation EntryDelegation($commandId: ID!, $input: DelegationInput!) {
    hostDelegation(commandId: $commandId, input: $input) {
      position
      replayed
    }
  }
`);
const Training = graphql(`
  mutation EntryTraining($commandId: ID!, $input: TrainingInput!) {
    recordTraining(commandId: $commandId, input: $input) {
      position
      replayed
    }
  }
`);
const Grant = graphql(`
  mutation EntryGrant($commandId: ID!, $input: GrantFundingInput!) {
    grantFunding(commandId: $commandId, input: $input) {
      position
      replayed
    }
  }
`);

type Kind = "text" | "date" | "number" | "list" | "textarea" | "scope";

/** A form field: its input's path (`period.to` is nested), its kind, whether the command requires it. */
interface Field {
  readonly name: string;
  readonly kind: Kind;
  readonly required?: boolean;
}

interface Command {
  readonly id: string;
  // Each command's own document: the variables are built from the fields, the answer is position + replayed.
  readonly document: TypedDocumentNode<Record<string, { position: string; replayed: boolean }>, AnyVariables>;
  /** Commands on an existing partnership send its revision; creations and activities do not. */
  readonly onPartnership: "revision" | "id" | "none";
  readonly fields: readonly Field[];
}

const DATE = "date" as const;
const COMMANDS: readonly Command[] = [
  {
    id: "propose",
    document: Propose as never,
    onPartnership: "none",
    fields: [
      { name: "title", kind: "text", required: true },
      { name: "scope", kind: "scope", required: true },
      { name: "parties", kind: "list", required: true },
      { name: "countries", kind: "list" },
      { name: "themes", kind: "list" },
      { name: "proposedOn", kind: DATE },
    ],
  },
  {
    id: "sign",
    document: Sign as never,
    onPartnership: "revision",
    fields: [
      { name: "signedOn", kind: DATE, required: true },
      { name: "expiresOn", kind: DATE },
      { name: "title", kind: "text" },
      { name: "place", kind: "text" },
    ],
  },
  {
    id: "renew",
    document: Renew as never,
    onPartnership: "revision",
    fields: [
      { name: "renewedOn", kind: DATE, required: true },
      { name: "period.from", kind: DATE, required: true },
      { name: "period.to", kind: DATE },
    ],
  },
  {
    id: "amend",
    document: Amend as never,
    onPartnership: "revision",
    fields: [
      { name: "amendedOn", kind: DATE, required: true },
      { name: "versionHash", kind: "text", required: true },
      { name: "summary", kind: "textarea", required: true },
    ],
  },
  {
    id: "suspend",
    document: Suspend as never,
    onPartnership: "revision",
    fields: [
      { name: "suspendedOn", kind: DATE, required: true },
      { name: "reason", kind: "textarea", required: true },
    ],
  },
  {
    id: "resume",
    document: Resume as never,
    onPartnership: "revision",
    fields: [{ name: "resumedOn", kind: DATE, required: true }],
  },
  {
    id: "mission",
    document: Mission as never,
    onPartnership: "id",
    fields: [
      { name: "purpose", kind: "textarea", required: true },
      { name: "plannedStart", kind: DATE, required: true },
      { name: "plannedEnd", kind: DATE },
      { name: "destination.country", kind: "text" },
      { name: "participants.count", kind: "number" },
    ],
  },
  {
    id: "delegation",
    document: Delegation as never,
    onPartnership: "id",
    fields: [
      { name: "purpose", kind: "textarea", required: true },
      { name: "from", kind: DATE, required: true },
      { name: "to", kind: DATE },
      { name: "visitors.count", kind: "number" },
      { name: "place", kind: "text" },
    ],
  },
  {
    id: "training",
    document: Training as never,
    onPartnership: "id",
    fields: [
      { name: "topic", kind: "textarea", required: true },
      { name: "from", kind: DATE, required: true },
      { name: "to", kind: DATE },
      { name: "traineeCount.count", kind: "number" },
      { name: "place", kind: "text" },
    ],
  },
  {
    id: "grant",
    document: Grant as never,
    onPartnership: "id",
    fields: [
      { name: "funders", kind: "list", required: true },
      { name: "grantedOn", kind: DATE, required: true },
      { name: "amount.value", kind: "text" },
      { name: "amount.currency", kind: "text" },
      { name: "purpose", kind: "textarea" },
    ],
  },
  {
    id: "correct",
    document: Correct as never,
    onPartnership: "revision",
    fields: [
      { name: "revision", kind: "number", required: true },
      { name: "data", kind: "textarea", required: true },
      { name: "reason", kind: "textarea", required: true },
    ],
  },
];

const newCommandId = () => `console-${crypto.randomUUID()}`;

/** The input object from the fields' values: `a.b` nests, lists split on commas, numbers and JSON parsed. */
function inputOf(command: Command, values: Record<string, string>, partnershipId: string): Record<string, unknown> {
  const input: Record<string, unknown> = command.onPartnership === "none" ? {} : { partnershipId };
  for (const field of command.fields) {
    const raw = values[field.name]?.trim() ?? "";
    if (raw === "") continue;
    const value =
      field.kind === "list"
        ? raw
            .split(",")
            .map((item) => item.trim())
            .filter(Boolean)
        : field.kind === "number"
          ? Number(raw)
          : field.name === "data"
            ? safeJson(raw)
            : raw;
    const path = field.name.split(".");
    let target = input;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]!] = value;
  }
  return input;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function Entry() {
  const { t } = useI18n();
  const [commandKind, setCommandKind] = useState<string>("sign");
  const command = COMMANDS.find((c) => c.id === commandKind)!;
  const [partnershipId, setPartnershipId] = useState("");
  const [{ data: list }] = useQuery({ query: Partnerships });
  return (
    <>
      <h1>{t.entry.title}</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="entry-command">{t.entry.command}</label>
          <select id="entry-command" value={commandKind} onChange={(e) => setCommandKind(e.target.value)}>
            {COMMANDS.map((c) => (
              <option key={c.id} value={c.id}>
                {t.entry.commands[c.id]}
              </option>
            ))}
          </select>
        </div>
        {command.onPartnership !== "none" && (
          <div className="field">
            <label htmlFor="entry-partnership">{t.entry.partnership}</label>
            <select id="entry-partnership" value={partnershipId} onChange={(e) => setPartnershipId(e.target.value)}>
              <option value="">—</option>
              {list?.partnerships.edges.map(({ node }) => (
                <option key={node.id} value={node.id}>
                  {node.title}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {(command.onPartnership === "none" || partnershipId) && (
        // A new form (and command id) for each command and partnership.
        <CommandForm key={`${command.id}/${partnershipId}`} command={command} partnershipId={partnershipId} />
      )}
    </>
  );
}

function CommandForm({ command, partnershipId }: { command: Command; partnershipId: string }) {
  const { t } = useI18n();
  const prefix = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [commandId, setCommandId] = useState(newCommandId);
  const [{ data: opened }, reload] = useQuery({
    query: Revision,
    variables: { id: partnershipId },
    pause: command.onPartnership !== "revision",
    requestPolicy: "network-only",
  });
  const [state, send] = useMutation(command.document);
  const [done, setDone] = useState<{ position: string; replayed: boolean } | null>(null);
  const revision = opened?.partnership?.revision;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (state.fetching) return;
    setDone(null);
    const result = await send({
      commandId,
      ...(command.onPartnership === "revision" && revision !== undefined ? { expectedRevision: revision } : {}),
      input: inputOf(command, values, partnershipId),
    });
    const answer = result.data && Object.values(result.data)[0];
    if (answer) {
      setDone(answer);
      // The next submission is a new command, on the revision this one made.
      setCommandId(newCommandId());
      setValues({});
      reload({ requestPolicy: "network-only" });
    }
  };
  const errors = state.error?.graphQLErrors ?? [];
  const fieldError = (name: string) =>
    errors.find((e) => e.extensions?.code === "BAD_USER_INPUT" && e.extensions?.field === name.split(".").pop())
      ?.message;
  const conflict = errors.find((e) => e.extensions?.code === "CONFLICT");
  const rule = errors.find((e) => e.extensions?.code === "RULE_VIOLATION");
  const unplaced = state.error && !conflict && !rule && !command.fields.some((f) => fieldError(f.name));
  return (
    <form onSubmit={submit} className="entry" aria-labelledby={`${prefix}-title`} noValidate>
      <h2 id={`${prefix}-title`}>{t.entry.commands[command.id]}</h2>
      {command.fields.map((field) => {
        const id = `${prefix}-${field.name}`;
        const error = fieldError(field.name);
        const common = {
          id,
          name: field.name,
          value: values[field.name] ?? "",
          required: field.required,
          "aria-invalid": Boolean(error),
          "aria-describedby": error ? `${id}-error` : undefined,
          onChange: (e: { target: { value: string } }) => setValues({ ...values, [field.name]: e.target.value }),
        };
        return (
          <div className="field" key={field.name}>
            <label htmlFor={id}>
              {t.entry.fields[field.name] ?? field.name}
              {field.required ? " *" : ""}
              {field.kind === "date" && <span className="hint"> {t.entry.dateHint}</span>}
              {field.kind === "list" && <span className="hint"> {t.entry.listHint}</span>}
            </label>
            {field.kind === "textarea" ? (
              <textarea rows={3} {...common} />
            ) : field.kind === "scope" ? (
              <select {...common}>
                <option value="">—</option>
                <option value="INTERNATIONAL">{t.entry.international}</option>
                <option value="DOMESTIC">{t.entry.domestic}</option>
              </select>
            ) : (
              <input type={field.kind === "number" ? "number" : "text"} {...common} />
            )}
            {error && (
              <p id={`${id}-error`} className="field-error">
                {error}
              </p>
            )}
          </div>
        );
      })}
      <button type="submit" disabled={state.fetching} aria-busy={state.fetching}>
        {t.entry.submit}
      </button>
      {rule && (
        <p role="alert" className="field-error" data-rule={String(rule.extensions?.rule ?? "")}>
          {rule.message}
        </p>
      )}
      {conflict && (
        <p role="alert" className="field-error">
          {t.entry.conflict}{" "}
          <button type="button" onClick={() => reload({ requestPolicy: "network-only" })}>
            {t.entry.reload}
          </button>
        </p>
      )}
      {unplaced && <Failure error={state.error!} />}
      {done && (
        <p role="status" data-position={done.position}>
          {done.replayed ? t.entry.replayed(done.position) : t.entry.recorded(done.position)}
        </p>
      )}
    </form>
  );
}
