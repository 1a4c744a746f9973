// Java's Double.toString and Float.toString: the shortest decimal that reads back as the same
// number (JDK 19+; a one-digit one becomes the closest two-digit one, so 4.9E-324, not 5.0E-324), written plainly between 10^-3 and 10^7 ("3.14", "100.0") and otherwise in
// Java's scientific form ("1.0E10", "1.0E-5").

/** Double.toString(v). */
export function javaDoubleText(v: number): string {
  return javaText(v, (x) => x.toExponential(), Number);
}

/** Float.toString(v) for a value that is already a float (Math.fround). */
export function javaFloatText(v: number): string {
  return javaText(v, (x) => {
    // The fewest digits that round to the same float (a double's shortest has too many).
    for (let p = 0; p < 9; p++) {
      const e = x.toExponential(p);
      if (Math.fround(Number(e)) === x) return e;
    }
    return x.toExponential(8);
  }, (text) => Math.fround(Number(text)));
}

function javaText(v: number, exponential: (x: number) => string, read: (text: string) => number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  let text = exponential(Math.abs(v));
  if (!text.includes('.')) {
    const two = Math.abs(v).toExponential(1);
    if (read(two) === Math.abs(v)) text = two;
  }
  const [mantissa, exp] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const e = Number(exp);
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
    const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
    return `${sign}${whole}.${digits.slice(e + 1) || '0'}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${e}`;
}
