/**
 * Tableau de bord: partnerships by status, partner countries, agreements signed and renewed per institution (the
 * figures hospitals publish), and the commission's agenda — reviews due, agreements expiring, open suspensions.
 */
import { useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { formatBusinessDate } from "../dates";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { Failure, Loading } from "./parts";

const DashboardQuery = graphql(`
  query Dashboard($months: Int!) {
    proposed: partnerships(filter: { status: PROPOSED }, first: 1) {
      totalCount
    }
    active: partnerships(filter: { status: ACTIVE }, first: 1) {
      totalCount
    }
    suspended: partnerships(filter: { status: SUSPENDED }, first: 100) {
      totalCount
      edges {
        node {
          id
          title
          suspendedSince
        }
      }
    }
    terminated: partnerships(filter: { status: TERMINATED }, first: 1) {
      totalCount
    }
    institutionsByCountry {
      country
      partnerships
    }
    all: partnerships(first: 100) {
      edges {
        node {
          id
          agreement {
            signed
            renewals
          }
          parties {
            id
            name
          }
        }
      }
    }
    reviewReminders(expiringWithinMonths: $months) {
      reviewsOverdue {
        partnership {
          id
          title
        }
        lastReviewOn
        signedOn
      }
      expiring {
        partnership {
          id
          title
        }
        expiresOn
      }
    }
  }
`);

const STATUSES = ["proposed", "active", "suspended", "terminated"] as const;

export function Dashboard() {
  const { t, language } = useI18n();
  const [months, setMonths] = useState(6);
  const [{ data, fetching, error }] = useQuery({ query: DashboardQuery, variables: { months } });
  if (error) return <Failure error={error} />;
  if (!data) return <Loading busy={fetching} />;
  const countries = new Set(
    data.institutionsByCountry.flatMap((c) => (c.country && c.partnerships > 0 ? [c.country] : [])),
  );
  // Per institution: agreements signed over its partnerships, and how many of those were renewals.
  const perInstitution = new Map<string, { name: string; signed: number; renewed: number }>();
  for (const { node } of data.all.edges) {
    if (!node.agreement) continue;
    for (const party of node.parties) {
      const entry = perInstitution.get(party.id) ?? { name: party.name, signed: 0, renewed: 0 };
      entry.signed += node.agreement.signed;
      entry.renewed += node.agreement.renewals;
      perInstitution.set(party.id, entry);
    }
  }
  const institutions = [...perInstitution.entries()].sort(
    (a, b) => b[1].signed - a[1].signed || a[1].name.localeCompare(b[1].name),
  );
  const date = (value: string | null | undefined) => formatBusinessDate(value, language);
  return (
    <>
      <h1>{t.dashboard.title}</h1>
      <div className="cards">
        <section aria-labelledby="by-status" className="card">
          <h2 id="by-status">{t.dashboard.status}</h2>
          <dl className="figures">
            {STATUSES.map((status) => (
              <div key={status} data-figure={status}>
                <dt>{t.status[status.toUpperCase()]}</dt>
                <dd>{data[status].totalCount}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="countries" className="card">
          <h2 id="countries">{t.dashboard.countries}</h2>
          <p className="figure" data-figure="countries">
            {t.dashboard.countriesCount(countries.size)}
          </p>
        </section>
      </div>
      <section aria-labelledby="agenda">
        <h2 id="agenda">{t.dashboard.agenda}</h2>
        <label htmlFor="months">{t.dashboard.months}</label>{" "}
        <input
          id="months"
          type="number"
          min={1}
          max={60}
          value={months}
          onChange={(event) => setMonths(Math.min(60, Math.max(1, Number(event.target.value) || 1)))}
        />
        <div className="cards">
          <div className="card">
            <h3>{t.dashboard.overdue}</h3>
            <ul data-list="overdue">
              {data.reviewReminders.reviewsOverdue.map((r) => (
                <li key={r.partnership.id}>
                  <Link href={`/partenariats/${r.partnership.id}`}>{r.partnership.title}</Link>
                </li>
              ))}
              {data.reviewReminders.reviewsOverdue.length === 0 && <li>{t.none}</li>}
            </ul>
          </div>
          <div className="card">
            <h3>{t.dashboard.expiring(months)}</h3>
            <ul data-list="expiring">
              {data.reviewReminders.expiring.map((r) => (
                <li key={r.partnership.id}>
                  <Link href={`/partenariats/${r.partnership.id}`}>{r.partnership.title}</Link> — {t.dashboard.expires}{" "}
                  {date(r.expiresOn)}
                </li>
              ))}
              {data.reviewReminders.expiring.length === 0 && <li>{t.none}</li>}
            </ul>
          </div>
          <div className="card">
            <h3>{t.dashboard.suspensions}</h3>
            <ul data-list="suspended">
              {data.suspended.edges.map(({ node }) => (
                <li key={node.id}>
                  <Link href={`/partenariats/${node.id}`}>{node.title}</Link> — {t.dashboard.since}{" "}
                  {date(node.suspendedSince)}
                </li>
              ))}
              {data.suspended.edges.length === 0 && <li>{t.none}</li>}
            </ul>
          </div>
        </div>
      </section>
      <section aria-labelledby="agreements">
        <h2 id="agreements">{t.dashboard.agreements}</h2>
        <ul className="institutions" data-list="agreements">
          {institutions.map(([id, entry]) => (
            <li key={id} data-institution={id}>
              <strong>{entry.name}</strong> : {t.dashboard.agreementsLine(entry.signed, entry.renewed)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
