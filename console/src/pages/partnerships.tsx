/** Partenariats: the list, searchable, filtered by country, theme, status and institution. */
import { lazy, Suspense, useId, useMemo, useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { graphql } from "../gql";
import type { PartnershipStatus } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Failure, Loading } from "./parts";

// The map's country shapes load with this page, not with the dashboard.
const WorldMap = lazy(() => import("./world-map").then((module) => ({ default: module.WorldMap })));

const ListQuery = graphql(`
  query PartnershipList {
    partnerships(first: 100) {
      totalCount
      edges {
        node {
          id
          title
          status
          countries
          themes
          parties {
            id
            name
          }
        }
      }
    }
  }
`);

function countsByCountry(partnerships: readonly { countries: readonly string[] }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of partnerships) for (const c of p.countries) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

const STATUSES: PartnershipStatus[] = ["PROPOSED", "ACTIVE", "SUSPENDED", "TERMINATED"];

function Select(props: { label: string; value: string; options: [string, string][]; onChange: (v: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{t.list.all}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PartnershipList() {
  const { t, language } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: ListQuery });
  const [search, setSearch] = useState("");
  const [country, setCountry] = useState("");
  const [theme, setTheme] = useState("");
  const [status, setStatus] = useState("");
  const [institution, setInstitution] = useState("");
  const regions = useMemo(() => new Intl.DisplayNames([language], { type: "region" }), [language]);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading busy={fetching} />;
  const all = data.partnerships.edges.map((edge) => edge.node);
  const unique = (values: string[]) => [...new Set(values)].sort();
  const countryName = (code: string) => regions.of(code) ?? code;
  const institutions = new Map(all.flatMap((p) => p.parties.map((party) => [party.id, party.name] as const)));
  const words = search.trim().toLocaleLowerCase(language).split(/\s+/).filter(Boolean);
  const shown = all.filter(
    (p) =>
      words.every((word) => p.title.toLocaleLowerCase(language).includes(word)) &&
      (!country || p.countries.includes(country)) &&
      (!theme || p.themes.includes(theme)) &&
      (!status || p.status === status) &&
      (!institution || p.parties.some((party) => party.id === institution)),
  );
  return (
    <>
      <h1>{t.list.title}</h1>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="search">{t.list.search}</label>
          <input id="search" type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
        <Select
          label={t.list.country}
          value={country}
          onChange={setCountry}
          options={unique(all.flatMap((p) => p.countries))
            .map((code): [string, string] => [code, countryName(code)])
            .sort((a, b) => a[1].localeCompare(b[1], language))}
        />
        <Select
          label={t.list.theme}
          value={theme}
          onChange={setTheme}
          options={unique(all.flatMap((p) => p.themes)).map((value): [string, string] => [value, value])}
        />
        <Select
          label={t.list.status}
          value={status}
          onChange={setStatus}
          options={STATUSES.map((value): [string, string] => [value, t.status[value] ?? value])}
        />
        <Select
          label={t.list.institution}
          value={institution}
          onChange={setInstitution}
          options={[...institutions.entries()].sort((a, b) => a[1].localeCompare(b[1], language))}
        />
      </form>
      <Suspense fallback={<p role="status">{t.loading}</p>}>
        <WorldMap
          counts={countsByCountry(all)}
          selected={country}
          onSelect={setCountry}
          label={t.map.label}
          nameOf={countryName}
          describe={(code, n) => t.map.country(countryName(code), n)}
        />
      </Suspense>
      <p role="status">{t.list.results(shown.length)}</p>
      <ul className="partnerships">
        {shown.map((p) => (
          <li key={p.id}>
            <Link href={`/partenariats/${p.id}`}>{p.title}</Link>{" "}
            <span className={`status status-${p.status.toLowerCase()}`}>{t.status[p.status]}</span>{" "}
            <span className="countries">{p.countries.map(countryName).join(", ")}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
