// A card object is one whose name says card as a word: card, cards, paymentCard, payment_card,
// creditCard, debitCard, card_details. A name that merely ends in "card" (scorecard, discard,
// postcard, wildcard) holds no card: its number and bin are ordinary data, left as they are.
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
