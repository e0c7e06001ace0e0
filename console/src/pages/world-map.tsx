/**
 * A world map of partner countries, drawn offline: country shapes from world-atlas (Natural Earth 1:110m, an npm
 * package, no tile server), projected with d3-geo. A partner country is shaded by its number of partnerships,
 * and is a button: choosing it filters the list (the country select does the same for keyboards and readers).
 */
import { geoNaturalEarth1, geoPath } from "d3-geo";
import { alpha2ToNumeric } from "i18n-iso-countries";
import { useMemo } from "react";
import { feature } from "topojson-client";
import type { GeometryObject, Topology } from "topojson-specification";
import world from "world-atlas/countries-110m.json";

const WIDTH = 960;
const HEIGHT = 470;

interface Props {
  /** Partnerships per ISO 3166 alpha-2 code. */
  readonly counts: ReadonlyMap<string, number>;
  readonly selected: string;
  readonly label: string;
  readonly nameOf: (alpha2: string) => string;
  readonly describe: (alpha2: string, count: number) => string;
  readonly onSelect: (alpha2: string) => void;
}

export function WorldMap({ counts, selected, label, nameOf, describe, onSelect }: Props) {
  const shapes = useMemo(() => {
    const topology = world as unknown as Topology<{ countries: GeometryObject }>;
    const countries = feature(topology, topology.objects.countries) as unknown as GeoJSON.FeatureCollection;
    const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], countries);
    const path = geoPath(projection);
    return countries.features.map((country) => ({ id: String(country.id), d: path(country) ?? "" }));
  }, []);
  const byNumeric = new Map([...counts].map(([alpha2, count]) => [alpha2ToNumeric(alpha2) ?? "", { alpha2, count }]));
  const most = Math.max(1, ...counts.values());
  return (
    <figure className="world-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={label}>
        {shapes.map((shape) => {
          const partner = byNumeric.get(shape.id.padStart(3, "0"));
          if (!partner) return <path key={shape.id} d={shape.d} className="country" aria-hidden="true" />;
          const choose = () => onSelect(partner.alpha2 === selected ? "" : partner.alpha2);
          return (
            <path
              key={shape.id}
              d={shape.d}
              className={partner.alpha2 === selected ? "country partner selected" : "country partner"}
              data-country={partner.alpha2}
              // Shaded from light to dark by the share of the busiest country.
              fillOpacity={0.35 + 0.65 * (partner.count / most)}
              role="button"
              tabIndex={0}
              aria-pressed={partner.alpha2 === selected}
              aria-label={describe(partner.alpha2, partner.count)}
              onClick={choose}
              onKeyDown={(event) => {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  choose();
                }
              }}
            >
              <title>{`${nameOf(partner.alpha2)} : ${partner.count}`}</title>
            </path>
          );
        })}
      </svg>
    </figure>
  );
}
