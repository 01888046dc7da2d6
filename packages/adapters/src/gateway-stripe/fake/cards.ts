/**
 * Stripe's test PaymentMethods (https://docs.stripe.com/testing), the fake's vocabulary for scripted
 * outcomes. Using one (`pm_card_visa`) on an intent or an attach makes a new PaymentMethod cloned from it,
 * as Stripe does in test mode; the clone keeps the card's behaviour.
 */

export type CardBehaviour =
  | { readonly kind: "succeed" }
  /**
   * A decline: `code` is the error code (`card_declined`, `expired_card`...), `declineCode` the bank's.
   * `onSetup` false: saving the card (a SetupIntent, an attach) succeeds and only charges decline, like
   * Stripe's `pm_card_chargeCustomerFail`; true (the other declining cards): a SetupIntent fails too.
   */
  | {
      readonly kind: "decline"
      readonly code: string
      readonly declineCode: string
      readonly message: string
      readonly onSetup: boolean
    }
  /** 3-D Secure: `always` on every payment (off-session fails), `setup` only when saving the card. */
  | { readonly kind: "authenticate"; readonly when: "always" | "setup" }

export interface TestCard {
  readonly brand: string
  readonly last4: string
  readonly behaviour: CardBehaviour
}

const declined = (code: string, declineCode: string, message: string, onSetup = true): CardBehaviour => ({
  kind: "decline",
  code,
  declineCode,
  message,
  onSetup
})

export const testCards: { readonly [token: string]: TestCard } = {
  pm_card_visa: { brand: "visa", last4: "4242", behaviour: { kind: "succeed" } },
  pm_card_visa_debit: { brand: "visa", last4: "5556", behaviour: { kind: "succeed" } },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", behaviour: { kind: "succeed" } },
  pm_card_amex: { brand: "amex", last4: "8431", behaviour: { kind: "succeed" } },
  pm_card_chargeDeclined: {
    brand: "visa",
    last4: "0002",
    behaviour: declined("card_declined", "generic_decline", "Your card was declined.")
  },
  // 4000000000000341: "Attaching this card to a Customer object succeeds, but attempts to charge the
  // customer fail" (card_declined).
  pm_card_chargeCustomerFail: {
    brand: "visa",
    last4: "0341",
    behaviour: declined("card_declined", "generic_decline", "Your card was declined.", false)
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    behaviour: declined("card_declined", "insufficient_funds", "Your card has insufficient funds.")
  },
  pm_card_chargeDeclinedLostCard: {
    brand: "visa",
    last4: "9987",
    behaviour: declined("card_declined", "lost_card", "Your card was declined.")
  },
  pm_card_chargeDeclinedStolenCard: {
    brand: "visa",
    last4: "9979",
    behaviour: declined("card_declined", "stolen_card", "Your card was declined.")
  },
  pm_card_chargeDeclinedFraudulent: {
    brand: "visa",
    last4: "0019",
    behaviour: declined("card_declined", "fraudulent", "Your card was declined.")
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    behaviour: declined("expired_card", "expired_card", "Your card has expired.")
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: "visa",
    last4: "0127",
    behaviour: declined("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.")
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    behaviour: declined(
      "processing_error",
      "processing_error",
      "An error occurred while processing your card. Try again in a little bit."
    )
  },
  pm_card_authenticationRequired: {
    brand: "visa",
    last4: "3184",
    behaviour: { kind: "authenticate", when: "always" }
  },
  pm_card_authenticationRequiredOnSetup: {
    brand: "visa",
    last4: "3155",
    behaviour: { kind: "authenticate", when: "setup" }
  },
  pm_card_threeDSecure2Required: {
    brand: "visa",
    last4: "3220",
    behaviour: { kind: "authenticate", when: "always" }
  }
}
