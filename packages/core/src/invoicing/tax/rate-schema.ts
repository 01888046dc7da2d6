import { Either, ParseResult, Schema } from "effect"
import { type Ratio, ratio, ratioFromPercent, ratioToDecimalString } from "../../money"

const RatioSelf = Schema.Struct({ num: Schema.BigIntFromSelf, den: Schema.BigIntFromSelf })

/**
 * A rate written as a percentage string in input ("21", "8.25", "9.975") decoded to an exact
 * {@link Ratio} (21/100, 33/400, ...). Encoding fails for a ratio with no finite decimal expansion.
 */
export const PercentRate: Schema.Schema<Ratio, string> = Schema.transformOrFail(Schema.String, RatioSelf, {
  strict: true,
  decode: (input, _, ast) =>
    Either.mapLeft(ratioFromPercent(input), (e) => new ParseResult.Type(ast, input, e.message)),
  encode: (r, _, ast) => {
    const text = ratioToDecimalString(ratio(r.num * 100n, r.den), 12)
    const back = ratioFromPercent(text)
    return Either.isRight(back) && back.right.num * r.den === r.num * back.right.den
      ? ParseResult.succeed(text)
      : ParseResult.fail(new ParseResult.Type(ast, r, "the rate has no finite decimal form"))
  }
})

/** A parse error as one line per issue: `path.to.field: message`. */
export const formatIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`))
    .join("; ")
