/**
 * Zimbabwe's summer growing season, as the API defines it (libs/domain `Season`): season year Y runs from
 * 1 September Y to 31 May Y+1, inclusive. The first season with a full Sentinel-2 record is 2017.
 */
export const FIRST_SEASON = 2017;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** ISO dates of the season window. */
export function seasonWindow(year: number): { start: string; end: string } {
  return { start: `${year}-09-01`, end: `${year + 1}-05-31` };
}

/** "Sep 2024 – May 2025": how the season is shown next to the year picker. */
export function seasonLabel(year: number): string {
  return `${MONTHS[8]} ${year} – ${MONTHS[4]} ${year + 1}`;
}

/** "1 Sep 2024 to 31 May 2025", from the ISO dates a job carries. */
export function seasonRangeText(start: string, end: string): string {
  return `${isoDateText(start)} to ${isoDateText(end)}`;
}

function isoDateText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) {
    return iso;
  }
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/**
 * The newest season whose last day is over on `today` (compared in UTC, as the server does): season Y is
 * finished from 1 June Y+1.
 */
export function latestFinishedSeason(today: Date): number {
  const y = today.getUTCFullYear();
  const juneFirst = Date.UTC(y, 5, 1);
  return today.getTime() >= juneFirst ? y - 1 : y - 2;
}

/** Selectable season years, newest first. */
export function seasonYears(today: Date): number[] {
  const years: number[] = [];
  for (let y = latestFinishedSeason(today); y >= FIRST_SEASON; y--) {
    years.push(y);
  }
  return years;
}
