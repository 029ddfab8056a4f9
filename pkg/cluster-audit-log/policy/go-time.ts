/**
 * metav1.Time's JSON: null or a string Go's time.Parse(time.RFC3339, s) accepts (k8s.io/apimachinery
 * pkg/apis/meta/v1 time.go UnmarshalJSON). The layout is read element by element as Go's time/format.go
 * Parse does (Go 1.19, as in the test judge): a 1- or 2-digit hour, optional fractional seconds after a
 * `.` or `,`, `Z` or a ±hh:mm offset; its errors are Go's ParseError texts.
 */

const LAYOUT = '2006-01-02T15:04:05Z07:00';

const quote = (s: string) => JSON.stringify(s);

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** time.Parse(time.RFC3339, value): undefined when it parses, else Go's error text. */
export function rfc3339Error(value: string): string | undefined {
  let rest = value;
  const cannot = (elem: string) => `parsing time ${ quote(value) } as ${ quote(LAYOUT) }: cannot parse ${ quote(rest) } as ${ quote(elem) }`;
  const range = (what: string) => `parsing time ${ quote(value) }: ${ what } out of range`;
  const digits = (min: number, max: number): number | undefined => {
    const m = new RegExp(`^[0-9]{${ min },${ max }}`).exec(rest);

    if (!m) {
      return undefined;
    }
    rest = rest.slice(m[0].length);

    return Number(m[0]);
  };
  const literal = (text: string): boolean => {
    if (!rest.startsWith(text)) {
      return false;
    }
    rest = rest.slice(text.length);

    return true;
  };

  const yearText = rest.slice(0, 4);

  if (yearText.length < 4 || !/^[+-]?[0-9]+$/.test(yearText)) {
    return cannot('2006');
  }
  const year = Number(yearText);

  rest = rest.slice(4);
  const fields: [sep: string, elem: string, min: number, max: number, name: string, limit: number][] = [
    ['-', '01', 2, 2, 'month', 12], ['-', '02', 2, 2, 'day', 31], ['T', '15', 1, 2, 'hour', 23], [':', '04', 2, 2, 'minute', 59], [':', '05', 2, 2, 'second', 59],
  ];
  const got: number[] = [];

  for (const [sep, elem, min, max, name, limit] of fields) {
    if (!literal(sep)) {
      return cannot(sep);
    }
    const n = digits(min, max);

    if (n === undefined) {
      return cannot(elem);
    }
    if (n > limit || (name === 'month' && n === 0)) {
      return range(name);
    }
    got.push(n);
  }
  if (/^[.,][0-9]/.test(rest)) {
    rest = rest.replace(/^[.,][0-9]+/, '');
  }
  if (!literal('Z')) {
    if (!/^[+-][0-9]{2}:[0-9]{2}/.test(rest)) {
      return cannot('Z07:00');
    }
    rest = rest.slice(6);
  }
  if (rest) {
    return `parsing time ${ quote(value) }: extra text: ${ quote(rest) }`;
  }
  const [month, day] = got;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

  if (day < 1 || day > (month === 2 && leap ? 29 : DAYS[month - 1])) {
    return range('day');
  }

  return undefined;
}
