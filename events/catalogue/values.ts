/** Values that several events' data carry. */

/** Where a recorded fact comes from: the document and its verbatim quote. */
export interface Source {
  readonly document: string;
  readonly quote: string;
  /** Why the business date is what it is, when the source does not state it outright. */
  readonly dateBasis?: string;
}

/** A number of people as sources give it: exactly `count`, or more than `count` ("plus de dix"). */
export interface Headcount {
  readonly count: number;
  readonly moreThan?: boolean;
}
