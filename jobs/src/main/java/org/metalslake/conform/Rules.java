package org.metalslake.conform;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.metalslake.conform.ProductionConformer.present;

import java.util.Arrays;
import org.apache.spark.sql.Column;

/**
 * The common quarantine rules, declared once so that conformers list their reasons instead of
 * spelling them out. Each rule is a reason column for {@link Reasons#all}: its message when the
 * rule is broken, else null.
 *
 * <p>Messages quote the raw value with {@link Reasons#quoted}: {@code unknown metal 'Xx'}, {@code
 * unparseable number 'x2'}, {@code non-finite quantity 'NaN'}, {@code missing flow}, {@code
 * negative capacity}, {@code impossible period '2024-13'}. A {@code note} is appended as given,
 * e.g. {@code " (YYYY-MM-DD)"}. A {@code guard} limits a rule to the rows where it holds.
 */
public final class Rules {
  private Rules() {}

  /** {@code unknown <what> '<raw>'} when {@code resolved} (the raw value looked up) is null. */
  public static Column known(String what, Column resolved, Column raw) {
    return unknown(what, resolved.isNull(), raw);
  }

  /** As {@link #known(String, Column, Column)}, the raw value being column {@code column}. */
  public static Column known(String column, Column resolved) {
    return known(column, resolved, col(column));
  }

  /** As {@link #known(String, Column, Column)}, followed by {@code note}. */
  public static Column known(String what, Column resolved, Column raw, String note) {
    return unknown(what, resolved.isNull(), raw, note);
  }

  /**
   * {@code unknown <what> '<raw>'} when {@code bad} holds: for lookups with a guard or another test
   * than a null result.
   */
  public static Column unknown(String what, Column bad, Column raw) {
    return quoting(bad, "unknown " + what, raw);
  }

  /** As {@link #unknown(String, Column, Column)}, followed by {@code note}. */
  public static Column unknown(String what, Column bad, Column raw, String note) {
    return quoting(bad, "unknown " + what, raw, note);
  }

  /**
   * {@code unknown <column> '<raw>' (a, b or c)} when {@code value} (column {@code column},
   * normalised) is none of {@code allowed}.
   */
  public static Column oneOf(String column, Column value, String... allowed) {
    int last = allowed.length - 1;
    String choices =
        last == 0
            ? allowed[0]
            : String.join(", ", Arrays.copyOf(allowed, last)) + " or " + allowed[last];
    return unknown(
        column, value.isin((Object[]) allowed).unary_$bang(), col(column), " (" + choices + ")");
  }

  /**
   * {@code unparseable <what> '<raw>'} when {@code raw} is given but {@code parsed} is null and
   * {@code raw} is not a non-finite value ({@link #finite} names those); a value with commas gets a
   * note: {@code unparseable number '1,5' (a decimal comma or misplaced thousands separator)}.
   */
  public static Column parsed(String what, Column raw, Column parsed) {
    return parsed(lit(true), what, raw, parsed, lit(false));
  }

  /**
   * The reason a number field did not give a number: {@code non-finite <finiteWhat> '<raw>'} for
   * NaN or an infinity, else {@code unparseable <what> '<raw>'} with a note on its commas ({@code
   * 1,234} in a file that also writes decimal commas is ambiguous); null when {@code parsed} (the
   * field read with {@link Numbers#parse(String)}) is a number, the field is blank, or {@code
   * guard} is false (the non-finite test ignores the guard: a NaN is never a figure).
   */
  public static Column number(
      Column guard, String what, String finiteWhat, String field, Column parsed) {
    Column raw = col(field);
    // The two are exclusive: the unparseable reason excludes non-finite values.
    return coalesce(
        finite(finiteWhat, raw, parsed),
        parsed(guard, what, raw, parsed, Numbers.decimalCommaFile(field)));
  }

  /** As {@link #number(Column, String, String, String, Column)} without a guard. */
  public static Column number(String what, String finiteWhat, String field, Column parsed) {
    return number(lit(true), what, finiteWhat, field, parsed);
  }

  private static Column parsed(
      Column guard, String what, Column raw, Column parsed, Column decimalCommaFile) {
    // Cheap tests first: the note and the non-finite test only run on rows that did not parse.
    Column bad =
        present(raw).and(guard).and(parsed.isNull()).and(Numbers.nonFinite(raw).unary_$bang());
    return when(
        bad,
        concat(
            lit("unparseable " + what + " "),
            Reasons.quoted(raw),
            Numbers.commaNote(raw, decimalCommaFile)));
  }

  /**
   * {@code non-finite <what> '<raw>'} when {@code raw} is NaN or an infinity (any case, signed, or
   * a number too large for a double), which {@link Numbers#parse} gives as a null {@code parsed}.
   */
  private static Column finite(String what, Column raw, Column parsed) {
    return quoting(
        present(raw).and(parsed.isNull()).and(Numbers.nonFinite(raw)), "non-finite " + what, raw);
  }

  /**
   * {@code implausible <what> '<raw>' <unit> (above <ceiling> t, <setting>)} when {@code tonnes}
   * (the value converted to metric tonnes) is above {@code ceiling} (tonnes), {@code setting}
   * naming the configuration key that set the ceiling. Negative values are {@link #nonNegative}'s.
   */
  public static Column plausible(
      String what, Column tonnes, Column ceiling, Column setting, Column raw, Column unit) {
    return when(
        tonnes.gt(ceiling),
        concat(
            lit("implausible " + what + " "),
            Reasons.quoted(raw),
            coalesce(concat(lit(" "), trim(unit)), lit("")),
            lit(" (above "),
            format_number(ceiling, 0),
            lit(" t, "),
            setting,
            lit(")")));
  }

  /** {@code missing <what>} when {@code raw} is not given (null or blank). */
  public static Column required(String what, Column raw) {
    return when(present(raw).unary_$bang(), lit("missing " + what));
  }

  /** As {@link #required(String, Column)}, only where {@code guard} holds. */
  public static Column required(Column guard, String what, Column raw) {
    return when(guard.and(present(raw).unary_$bang()), lit("missing " + what));
  }

  /** {@code negative <what>} when {@code value}, or any of {@code more}, is below zero. */
  public static Column nonNegative(String what, Column value, Column... more) {
    Column negative = value.lt(0);
    for (Column m : more) {
      negative = negative.or(m.lt(0));
    }
    return when(negative, lit("negative " + what));
  }

  /** {@code impossible <what> '<raw>'} when {@code bad} holds (e.g. a month 13). */
  public static Column possible(String what, Column bad, Column raw) {
    return quoting(bad, "impossible " + what, raw);
  }

  /** As {@link #possible(String, Column, Column)}, followed by {@code note}. */
  public static Column possible(String what, Column bad, Column raw, String note) {
    return quoting(bad, "impossible " + what, raw, note);
  }

  /** {@code <message> '<raw>'} when {@code bad} holds. */
  private static Column quoting(Column bad, String message, Column raw) {
    return when(bad, concat(lit(message + " "), Reasons.quoted(raw)));
  }

  /** {@code <message> '<raw>'<note>} when {@code bad} holds. */
  private static Column quoting(Column bad, String message, Column raw, String note) {
    return when(bad, concat(lit(message + " "), Reasons.quoted(raw), lit(note)));
  }
}
