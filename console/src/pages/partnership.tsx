/**
 * Fiche partenariat: parties, agreement, status, activities and funding; its timeline; and, for auditors, the
 * ledger's history with sources, time travel (business date and recorded-at) and the integrity check.
 */
import { useState, type FormEvent } from "react";
import { useQuery } from "urql";
import { formatBusinessDate, formatInstant } from "../dates";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { can, useSession } from "../session";
import { Failure, Loading, TextField } from "./parts";
import { Timeline, type TimelineFact } from "./timeline";

const FicheQuery = graphql(`
  query Fiche($id: ID!) {
    partnership(id: $id) {
      id
      title
      status
      countries
      themes
      cooperationSince
      suspendedSince
      terminatedOn
      agreement {
        firstSignedOn
        signedOn
        expiresOn
        signed
        renewals
        amendments
      }
      parties {
        id
        name
        country
      }
      activities(first: 100) {
        edges {
          node {
            id
            kind
            title
            status
            startOn
            endOn
            people {
              count
              moreThan
            }
          }
        }
      }
      grants {
        id
        grantedOn
        purpose
        amount {
          value
          currency
          ceiling
        }
        funders {
          id
          name
        }
      }
    }
  }
`);

const HistoryQuery = graphql(`
  query History($id: ID!) {
    partnership(id: $id) {
      id
      history(first: 100) {
        edges {
          node {
            position
            type
            streamId
            businessDate
            recordedAt
            actor
            source {
              document
              quote
            }
          }
        }
      }
    }
  }
`);

const AsOfQuery = graphql(`
  query AsOf($id: ID!, $businessDate: BusinessDate, $recordedAt: String) {
    partnership(id: $id) {
      id
      asOf(businessDate: $businessDate, recordedAt: $recordedAt) {
        existed
        status
        agreementsSigned
        suspendedSince
        facts {
          businessDate
          reading
          event {
            position
            type
            source {
              quote
            }
          }
        }
      }
    }
  }
`);

const IntegrityQuery = graphql(`
  query PartnershipIntegrity($id: ID!) {
    verifyIntegrity(partnershipId: $id) {
      ok
      eventsChecked
      firstBreak {
        position
        detail
      }
    }
  }
`);

/** An event type's name in the reader's language; a type the console does not know yet, as its words. */
const labelOf = (labels: Record<string, string>, type: string) =>
  labels[type] ?? type.replace(/([a-z])([A-Z])/g, "$1 $2");

export function PartnershipPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { session } = useSession();
  const auditor = can(session, "auditor");
  const [{ data, fetching, error }] = useQuery({ query: FicheQuery, variables: { id } });
  const [history] = useQuery({ query: HistoryQuery, variables: { id }, pause: !auditor });
  if (error) return <Failure error={error} />;
  if (!data) return <Loading busy={fetching} />;
  const p = data.partnership;
  if (!p) return <p role="alert">{t.fiche.notFound}</p>;
  const date = (value: string | null | undefined) => formatBusinessDate(value, language);
  const activities = p.activities.edges.map((edge) => edge.node);
  // Auditors see every dated fact with its source; others the activities and the agreement's dates.
  const facts: TimelineFact[] = history.data?.partnership
    ? history.data.partnership.history.edges.flatMap(({ node }) =>
        node.businessDate
          ? [
              {
                key: node.position,
                date: node.businessDate,
                label: labelOf(t.eventTypes, node.type),
                quote: node.source?.quote ?? null,
              },
            ]
          : [],
      )
    : [
        ...(p.cooperationSince
          ? [{ key: "cooperation", date: p.cooperationSince, label: t.eventTypes.CooperationStarted! }]
          : []),
        ...(p.agreement ? [{ key: "signed", date: p.agreement.signedOn, label: t.fiche.agreement }] : []),
        ...activities.flatMap((a) =>
          a.startOn ? [{ key: a.id, date: a.startOn, until: a.endOn, label: a.title }] : [],
        ),
      ];
  return (
    <article aria-labelledby="fiche-title">
      <h1 id="fiche-title">{p.title}</h1>
      <p>
        <span className={`status status-${p.status.toLowerCase()}`}>{t.status[p.status]}</span>
        {p.suspendedSince && (
          <>
            {" "}
            — {t.dashboard.since} {date(p.suspendedSince)}
          </>
        )}
      </p>
      <div className="cards">
        <section className="card" aria-labelledby="parties">
          <h2 id="parties">{t.fiche.parties}</h2>
          <ul>
            {p.parties.map((party) => (
              <li key={party.id}>{party.name}</li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="agreement">
          <h2 id="agreement">{t.fiche.agreement}</h2>
          {p.agreement ? (
            <dl>
              <dt>{t.fiche.signedOn}</dt>
              <dd>{date(p.agreement.signedOn)}</dd>
              <dt>{t.fiche.expiresOn}</dt>
              <dd>{date(p.agreement.expiresOn)}</dd>
              <dt>{t.fiche.renewals}</dt>
              <dd>{p.agreement.renewals}</dd>
              <dt>{t.fiche.amendments}</dt>
              <dd>{p.agreement.amendments}</dd>
            </dl>
          ) : (
            <p>{t.fiche.noAgreement}</p>
          )}
        </section>
      </div>
      <section aria-labelledby="timeline">
        <h2 id="timeline">{t.fiche.timeline}</h2>
        <Timeline facts={facts} title={`${t.fiche.timeline} — ${p.title}`} />
      </section>
      <section aria-labelledby="activities">
        <h2 id="activities">{t.fiche.activities}</h2>
        <ul>
          {activities.map((a) => (
            <li key={a.id}>
              {a.startOn && <>{date(a.startOn)} : </>}
              {a.title}
              {a.people && <> ({t.fiche.people(a.people.count, a.people.moreThan)})</>}
            </li>
          ))}
          {activities.length === 0 && <li>{t.none}</li>}
        </ul>
      </section>
      <section aria-labelledby="funding">
        <h2 id="funding">{t.fiche.funding}</h2>
        <ul>
          {p.grants.map((g) => (
            <li key={g.id}>
              {date(g.grantedOn)} : {g.funders.map((f) => f.name).join(", ")}
              {g.amount && (
                <>
                  {" "}
                  — {g.amount.ceiling ? "≤ " : ""}
                  {g.amount.value} {g.amount.currency}
                </>
              )}
              {g.purpose && <> — {g.purpose}</>}
            </li>
          ))}
          {p.grants.length === 0 && <li>{t.none}</li>}
        </ul>
      </section>
      {auditor && history.data?.partnership && (
        <section aria-labelledby="history">
          <h2 id="history">{t.fiche.history}</h2>
          <ol className="history">
            {history.data.partnership.history.edges.map(({ node }) => (
              <li key={node.position}>
                <strong>{labelOf(t.eventTypes, node.type)}</strong>{" "}
                {node.businessDate && <>({date(node.businessDate)})</>} — {t.fiche.recordedBy} {node.actor ?? "?"}{" "}
                {t.fiche.at} {formatInstant(node.recordedAt, language)}
                {node.source && (
                  <blockquote lang="fr">
                    « {node.source.quote} » <cite>{node.source.document}</cite>
                  </blockquote>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      {auditor && <TimeTravel id={id} />}
      {auditor && <Integrity id={id} />}
    </article>
  );
}

function TimeTravel({ id }: { id: string }) {
  const { t, language } = useI18n();
  const [businessDate, setBusinessDate] = useState("");
  const [recordedAt, setRecordedAt] = useState("");
  const [asked, setAsked] = useState<{ businessDate: string | null; recordedAt: string | null } | null>(null);
  const [{ data, error, fetching }] = useQuery({
    query: AsOfQuery,
    variables: { id, businessDate: asked?.businessDate ?? null, recordedAt: asked?.recordedAt ?? null },
    pause: !asked,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAsked({ businessDate: businessDate.trim() || null, recordedAt: recordedAt.trim() || null });
  };
  const asOf = data?.partnership?.asOf;
  // A refused argument is shown beside its field: the business date's scalar names itself, the rest is the time.
  const refused = error?.graphQLErrors.find((e) => e.extensions?.code === "BAD_USER_INPUT");
  const errors = {
    businessDate: refused && /BusinessDate|businessDate/.test(refused.message) ? refused.message : undefined,
    recordedAt: refused && !/BusinessDate|businessDate/.test(refused.message) ? refused.message : undefined,
  };
  return (
    <section aria-labelledby="time-travel">
      <h2 id="time-travel">{t.fiche.timeTravel}</h2>
      <form onSubmit={submit} className="filters">
        <TextField
          id="as-of-date"
          label={t.fiche.businessDate}
          value={businessDate}
          onChange={setBusinessDate}
          error={errors.businessDate}
        />
        <TextField
          id="as-of-recorded"
          label={t.fiche.recordedAt}
          value={recordedAt}
          onChange={setRecordedAt}
          error={errors.recordedAt}
        />
        <button type="submit">{t.fiche.show}</button>
      </form>
      {error && !refused && <Failure error={error} />}
      {fetching && <Loading busy />}
      {asOf && (
        <div data-as-of>
          <p>
            {t.fiche.statusAsOf} : <strong data-status-as-of>{asOf.status ? t.status[asOf.status] : "—"}</strong>
            {asOf.suspendedSince && (
              <>
                {" "}
                ({t.dashboard.since} {formatBusinessDate(asOf.suspendedSince, language)})
              </>
            )}
          </p>
          <ol className="facts">
            {asOf.facts.map((fact) => (
              <li key={fact.event.position} data-reading={fact.reading} data-type={fact.event.type}>
                {formatBusinessDate(fact.businessDate, language)} : {labelOf(t.eventTypes, fact.event.type)}{" "}
                <span className={`badge reading-${fact.reading.toLowerCase()}`}>{t.fiche.reading[fact.reading]}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}

function Integrity({ id }: { id: string }) {
  const { t } = useI18n();
  const [asked, setAsked] = useState(false);
  const [{ data, error, fetching }] = useQuery({ query: IntegrityQuery, variables: { id }, pause: !asked });
  const report = data?.verifyIntegrity;
  return (
    <section aria-labelledby="integrity">
      <h2 id="integrity">{t.fiche.integrity}</h2>
      <button type="button" onClick={() => setAsked(true)} disabled={fetching}>
        {t.fiche.verify}
      </button>
      <div role="status">
        {report &&
          (report.ok ? t.fiche.intact(report.eventsChecked) : `${t.fiche.broken} : ${report.firstBreak?.detail}`)}
      </div>
      {error && <Failure error={error} />}
    </section>
  );
}
