/** Statistiques: by year, country, theme, activity kind and funder, each a chart with its table and CSV. */
import { useMemo } from "react";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { useI18n } from "../i18n";
import { BarChart, type Bar } from "./charts";
import { Failure, Loading } from "./parts";

const StatisticsQuery = graphql(`
  query Statistics {
    byYear: statistics(dimension: YEAR) {
      key
      metric
      value
    }
    byCountry: statistics(dimension: COUNTRY, metric: "partnerships") {
      key
      value
    }
    byTheme: statistics(dimension: THEME, metric: "partnerships") {
      key
      value
    }
    byKind: statistics(dimension: ACTIVITY_KIND) {
      key
      metric
      value
    }
    byFunder: fundingTotals(by: FUNDER) {
      key
      grants
    }
    institutions(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export function Statistics() {
  const { t, language } = useI18n();
  const [{ data, fetching, error }] = useQuery({ query: StatisticsQuery });
  const regions = useMemo(() => new Intl.DisplayNames([language], { type: "region" }), [language]);
  if (error) return <Failure error={error} />;
  if (!data) return <Loading busy={fetching} />;
  const sum = (rows: readonly { key: string; value: number }[], label: (key: string) => string): Bar[] => {
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + row.value);
    return [...totals].map(([key, value]) => ({ key, label: label(key), value }));
  };
  const byValue = (bars: Bar[]) => [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const names = new Map(data.institutions.edges.map(({ node }) => [node.id, node.name]));
  const agreements = data.byYear.filter((row) => row.metric === "agreements_signed");
  const activities = data.byYear.filter((row) => !row.metric.startsWith("agreements_"));
  return (
    <>
      <h1>{t.stats.title}</h1>
      <BarChart
        title={t.stats.agreementsByYear}
        unit={t.stats.agreements}
        file="accords-par-annee"
        bars={sum(agreements, (key) => key).sort((a, b) => a.key.localeCompare(b.key))}
      />
      <BarChart
        title={t.stats.activitiesByYear}
        unit={t.stats.activities}
        file="activites-par-annee"
        bars={sum(activities, (key) => key).sort((a, b) => a.key.localeCompare(b.key))}
      />
      <BarChart
        title={t.stats.byCountry}
        unit={t.stats.partnerships}
        file="partenariats-par-pays"
        bars={byValue(sum(data.byCountry, (key) => regions.of(key) ?? key))}
      />
      <BarChart
        title={t.stats.byTheme}
        unit={t.stats.partnerships}
        file="partenariats-par-theme"
        bars={byValue(sum(data.byTheme, (key) => key))}
      />
      <BarChart
        title={t.stats.byKind}
        unit={t.stats.activities}
        file="activites-par-type"
        bars={byValue(sum(data.byKind, (key) => t.stats.kinds[key] ?? key))}
      />
      <BarChart
        title={t.stats.byFunder}
        unit={t.stats.grants}
        file="financements-par-financeur"
        bars={byValue(
          data.byFunder.map((row) => ({ key: row.key, label: names.get(row.key) ?? row.key, value: row.grants })),
        )}
      />
    </>
  );
}
