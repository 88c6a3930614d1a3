import { describe, expect, it } from "vitest";
import { passesLuhn, redactPii } from "./redact-pii";

describe("redactPii", () => {
  it("redacts e-mails, phone numbers and Luhn-valid card numbers, counting each kind", () => {
    const text =
      "Contact jane.doe+news@example.co.uk or +1 (415) 555-0132, or 020 7946 0958. Card 4111 1111 1111 1111, " +
      "another 5500-0000-0000-0004.";
    const result = redactPii(text);
    expect(result.text).toBe("Contact [EMAIL] or [PHONE], or [PHONE]. Card [CARD], another [CARD].");
    expect(result.counts).toEqual({ email: 1, phone: 2, card: 2 });
  });

  it("leaves numbers that are not card numbers or phones alone", () => {
    const text = "Order 1234 5678 9012 3456 shipped on 2024-01-15 at 10:30, revenue 1,234,567 and ref 12345.";
    const result = redactPii(text);
    expect(result.text).toBe(text);
    expect(result.counts).toEqual({ email: 0, phone: 0, card: 0 });
  });

  it("redacts only the configured kinds and nothing when disabled", () => {
    const text = "mail a@b.io, call +44 20 7946 0958";
    expect(redactPii(text, { kinds: ["email"] })).toEqual({
      text: "mail [EMAIL], call +44 20 7946 0958",
      counts: { email: 1, phone: 0, card: 0 },
    });
    expect(redactPii(text, { enabled: false }).text).toBe(text);
  });

  it("checks the Luhn sum", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(passesLuhn("1234")).toBe(false);
  });
});
