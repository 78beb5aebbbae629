package org.metalslake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver-side CSV splitter used for headers and reference files (no Spark needed). */
class CsvTest {

  @Test
  void splitsPlainFieldsAndKeepsEmptyOnes() {
    assertEquals(List.of("a", "b", "c"), Csv.split("a,b,c"));
    // Leading, inner and trailing empty fields all count: 4 commas → 5 fields.
    assertEquals(List.of("", "a", "", "b", ""), Csv.split(",a,,b,"));
    assertEquals(List.of(""), Csv.split(""));
  }

  @Test
  void quotedFieldsMayHoldCommas() {
    assertEquals(
        List.of("Copper ", "Korea, Republic of", "Mine production, recoverable copper content"),
        Csv.split(
            "Copper ,\"Korea, Republic of\",\"Mine production, recoverable copper content\""));
  }

  @Test
  void doubledQuotesInsideQuotedFieldsAreOneQuote() {
    assertEquals(List.of("say \"hi\"", "x"), Csv.split("\"say \"\"hi\"\"\",x"));
    // A field that is only a doubled quote inside quotes is one quote character.
    assertEquals(List.of("\"", ""), Csv.split("\"\"\"\","));
    // An empty quoted field is an empty string.
    assertEquals(List.of("a", "", "b"), Csv.split("a,\"\",b"));
  }

  @Test
  void lineEndsAreNotPartOfTheLastField() {
    assertEquals(List.of("a", "b"), Csv.split("a,b\r\n"));
    assertEquals(List.of("a", "b"), Csv.split("a,b\r"));
  }

  @Test
  void stripsOnlyALeadingBom() {
    assertEquals("SOURCE,COMMODITY", Csv.stripBom("\uFEFFSOURCE,COMMODITY"));
    assertEquals("SOURCE", Csv.stripBom("SOURCE"));
    assertEquals("", Csv.stripBom(""));
    assertEquals("", Csv.stripBom("\uFEFF"));
    // A BOM that is not the first character is data, not a marker.
    assertEquals("a\uFEFF", Csv.stripBom("a\uFEFF"));
  }

  @Test
  void parsesAWholeFileWithBomCrlfAndBlankLines() {
    String text = "\uFEFFcode,name\r\nt,\"Metric ton\"\r\n\r\nkt,\"Thousand, metric\"\r\n";
    assertEquals(
        List.of(
            List.of("code", "name"), List.of("t", "Metric ton"), List.of("kt", "Thousand, metric")),
        Csv.parse(text));
  }
}
