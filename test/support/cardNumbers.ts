// Test support: card numbers that pass the Luhn check, for the masking tests.
import fc from 'fast-check';

/** The Luhn check digit that makes `body` followed by it a valid card number. */
export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A 16-digit card number of Visa, Mastercard or Discover (first digit 4, 5 or 6), its Luhn check passed. */
export const sixteenDigitPan = fc.tuple(fc.constantFrom('4', '5', '6'), fc.stringMatching(/^\d{14}$/)).map(([a, b]) => a + b + luhnDigit(a + b));
