// A card object is one whose name says card as a word: card, cards, paymentCard, payment_card,
// creditCard, debitCard, card_details. A name that merely ends in "card" (scorecard, discard,
// postcard, wildcard) holds no card: its number and bin are ordinary data, left as they are.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Masker } from './masking';

const m = new Masker({ enabled: true });

describe('masking, which objects are card objects', () => {
  it.each(['card', 'cards', 'Card', 'CARD', 'paymentCard', 'payment_card', 'payment-card', 'PaymentCard', 'creditCard', 'credit_card', 'debitCard', 'card_details', 'cardDetails', 'cardInfo', 'giftCard', 'paymentcard', 'creditcard', 'carddetails'])(
    '%s: its number and bin are card data',
    (name) => {
      expect(m.deep({ [name]: { number: '7', bin: '424242', label: 'x' } })).toEqual({ [name]: { number: '***', bin: '42****', label: 'x' } });
    },
  );

  it.each(['scorecard', 'Scorecard', 'discard', 'postcard', 'wildcard', 'placard', 'reportCard2', 'discards', 'scorecards'])('%s: its number and bin are left as they are', (name) => {
    const data = { [name]: { number: '7', bin: 'A3', label: 'x' } };
    expect(m.deep(data)).toEqual(data);
  });

  it('a card number under any name is still masked', () => {
    expect(m.deep({ scorecard: { number: '4111111111111111' } })).toEqual({ scorecard: { number: '41**********1111' } });
  });
});

// A name that runs card together with other words in one case ("cardholderinfo", "CARDHOLDERINFO",
// "billingcard") cannot be split into words, and a list of such names is never complete: such an
// object held a card number that failed Luhn (a mistyped one) and a BIN, and both were exported as
// they came. Any object whose name holds "card", and any object inside one, now has its number
// masked when it holds 12-19 digits and its bin when it holds 6-8; what has no card's form stays.
describe('masking, objects whose name runs card together with other words', () => {
  // Letters on both sides: never a name read as card by its words, nor one of the joined names
  // masking knows (paymentcard, carddetails), whose number is card data whatever it holds.
  const side = fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), { minLength: 1, maxLength: 8 }).map((c) => c.join(''));
  const cardName = fc.tuple(side, side, fc.boolean()).map(([a, b, upper]) => (upper ? `${a}card${b}`.toUpperCase() : `${a}card${b}`))
    .filter((name) => !m.masks(name)); // (not a name masked whole: "cvvcard", "ibancard")
  const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((c) => c.join(''));

  it.each(['cardholderinfo', 'CARDHOLDERINFO', 'cardholder', 'card2', 'mycard', 'billingcard', 'paymentinstrumentcard', 'cardpayload'])('%s: a card number and BIN in it are masked', (name) => {
    expect(m.deep({ [name]: { number: '4111111111111112', bin: '411111', label: 'x' } })).toEqual({ [name]: { number: '41**********1112', bin: '41****', label: 'x' } });
  });

  it('masks the card number of an object inside a card object', () => {
    expect(m.deep({ card: { details: { number: '4111 1111 1111 1112', bin: 41111111 } } })).toEqual({ card: { details: { number: '41**********1112', bin: '41****' } } });
    expect(m.deep({ cardholderinfo: [{ primary: { number: 5555555555554445 } }] })).toEqual({ cardholderinfo: [{ primary: { number: '55**********4445' } }] });
  });

  it('masks a card security code under its short names in a card object, and leaves a code elsewhere', () => {
    expect(m.deep({ cardinfo: { code: '123', cvn: '1234', cvd: 999, cid: '4321' } })).toEqual({ cardinfo: { code: '***', cvn: '***', cvd: '***', cid: '***' } });
    expect(m.deep({ decline: { code: '051' }, code: '123' })).toEqual({ decline: { code: '051' }, code: '123' });
  });

  it('any such name: 12-19 digits under number never pass, and what has no card form stays as it is', () => {
    fc.assert(
      fc.property(cardName, digits(12, 19), fc.integer({ min: 0, max: 99_999_999_999 }), digits(1, 5), (name, pan, n, bin) => {
        const masked = JSON.stringify(m.deep({ data: { [name]: { number: pan, bin: pan.slice(0, 6) } } }));
        expect(masked).not.toContain(pan);
        expect(masked).not.toContain(pan.slice(0, 6));
        const ordinary = { data: { [name]: { number: n, bin, label: name, code: 'approved' } } };
        expect(m.deep(ordinary)).toEqual(ordinary);
      }),
      { numRuns: 300 },
    );
  });
});
