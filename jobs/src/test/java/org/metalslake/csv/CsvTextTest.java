package org.metalslake.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Files as publishers ship them, read by the one parser (no Spark needed): RFC 4180 quoting, the
 * delimiter from the header, the character set from the bytes, gzip from the content.
 */
class CsvTextTest {

  private static Probe probe(byte[] bytes) throws IOException {
    return CsvText.probe(new ByteArrayInputStream(bytes), null);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every record after the header: physical start line, then the fields. */
  private static List<String> records(byte[] bytes) throws IOException {
    Probe p = probe(bytes);
    assertTrue(p.readable(), p.problem());
    List<String> out = new ArrayList<>();
    try (CsvReader<CsvRecord> csv = CsvText.open(new ByteArrayInputStream(bytes), p.layout())) {
      boolean header = true;
      for (CsvRecord r : csv) {
        if (CsvText.blankLine(r) || header && CsvText.blank(r)) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        out.add(r.getStartingLineNumber() + " " + r.getFields());
      }
    }
    return out;
  }

  @Test
  void doubledQuotesAndQuotedDelimitersAreOneField() throws IOException {
    byte[] f =
        utf8(
            "plant_id,plant,country\r\n"
                + "CL-1,\"=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",Chile\r\n"
                + "CL-2,\"Norte, Sur\",Chile\r\n");
    assertEquals(
        List.of(
            "2 [CL-1, =HYPERLINK(\"http://x\",\"click\"), Chile]", "3 [CL-2, Norte, Sur, Chile]"),
        records(f).stream().map(s -> s.replace("Norte, Sur", "Norte, Sur")).toList());
    // the quoted comma stays inside its field: three fields, not four
    assertEquals(
        3, CsvReader.builder().ofSingleCsvRecord("CL-2,\"Norte, Sur\",Chile").getFieldCount());
  }

  @Test
  void aLineBreakInsideQuotesIsPartOfTheFieldAndLinesKeepCounting() throws IOException {
    byte[] f = utf8("a,b,c\n1,\"two\nlines\",3\n4,5,6\n");
    List<String> r = records(f);
    assertEquals(List.of("2 [1, two\nlines, 3]", "4 [4, 5, 6]"), r);
  }

  @Test
  void blankLinesAreNoRecordsAndTheHeaderIsTheFirstLineWithText() throws IOException {
    byte[] f = utf8("\n\n  \nh1,h2\n\n1,2\n   \n3,4\n");
    Probe p = probe(f);
    assertEquals(List.of("h1", "h2"), p.header());
    assertEquals(4, p.headerLine());
    assertEquals(List.of("6 [1, 2]", "8 [3, 4]"), records(f));
  }

  @Test
  void theDelimiterComesFromTheHeader() throws IOException {
    assertEquals(';', probe(utf8("a;b;c\n1,5;2;3\n")).layout().delimiter());
    assertEquals('\t', probe(utf8("a\tb\tc\n1\t2\t3\n")).layout().delimiter());
    assertEquals('|', probe(utf8("a|b|c\n1|2|3\n")).layout().delimiter());
    assertEquals(',', probe(utf8("a,b,c\n1,2,3\n")).layout().delimiter());
    // a semicolon file whose names hold commas is still a semicolon file
    assertEquals(';', probe(utf8("\"a, x\";b;c\n1;2;3\n")).layout().delimiter());
    // one column: comma
    assertEquals(',', probe(utf8("value\n1\n")).layout().delimiter());
    // a spreadsheet's sep= line names it and is not the header
    Probe sep = probe(utf8("sep=;\na;b\n1;2\n"));
    assertEquals(';', sep.layout().delimiter());
    assertEquals(List.of("a", "b"), sep.header());
    assertEquals(2, sep.headerLine());
    assertEquals(List.of("3 [1, 2]"), records(utf8("sep=;\na;b\n1;2\n")));
  }

  @Test
  void decimalCommasInASemicolonFileStayInTheirField() throws IOException {
    assertEquals(List.of("2 [CHL, 1,5]"), records(utf8("country;quantity\nCHL;1,5\n")));
  }

  @Test
  void utf8WithAndWithoutBomAndCrlf() throws IOException {
    Probe bom = probe(utf8("\uFEFFSOURCE,COMMODITY\r\nMCS2025,Copper \r\n"));
    assertEquals("UTF-8", bom.layout().charset());
    assertEquals(3, bom.layout().bomBytes());
    assertEquals(List.of("SOURCE", "COMMODITY"), bom.header());
    assertEquals(
        List.of("2 [MCS2025, Copper ]"),
        records(utf8("\uFEFFSOURCE,COMMODITY\r\nMCS2025,Copper \r\n")));
    Probe plain = probe(utf8("country\nCôte d'Ivoire\n"));
    assertEquals("UTF-8", plain.layout().charset());
    assertEquals(0, plain.layout().bomBytes());
    assertEquals(List.of("2 [Côte d'Ivoire]"), records(utf8("country\nCôte d'Ivoire\n")));
  }

  @Test
  void utf16WithBomIsRead() throws IOException {
    byte[] le = "\uFEFFname,code\r\nCôte d'Ivoire,384\r\n".getBytes(StandardCharsets.UTF_16LE);
    byte[] be = "\uFEFFname,code\r\nCôte d'Ivoire,384\r\n".getBytes(StandardCharsets.UTF_16BE);
    assertEquals("UTF-16LE", probe(le).layout().charset());
    assertEquals("UTF-16BE", probe(be).layout().charset());
    assertEquals(List.of("name", "code"), probe(le).header());
    assertEquals(List.of("2 [Côte d'Ivoire, 384]"), records(le));
    assertEquals(List.of("2 [Côte d'Ivoire, 384]"), records(be));
  }

  @Test
  void aFileThatIsNotValidUtf8IsWindows1252() throws IOException {
    // CEPII's country codes are Latin-1: C\\xf4te d'Ivoire; Windows-1252 reads them the same
    byte[] latin1 =
        "\"country_code\",\"country_name\"\r\n384,\"Côte d'Ivoire\"\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    Probe p = probe(latin1);
    assertEquals(CsvText.FALLBACK_CHARSET, p.layout().charset());
    assertEquals(List.of("2 [384, Côte d'Ivoire]"), records(latin1));
    // Windows-1252's own letters (curly quotes, €) come out right too
    byte[] cp1252 = "name\nPrice “in €”\n".getBytes(Charset.forName("windows-1252"));
    assertEquals(List.of("2 [Price “in €”]"), records(cp1252));
    // and the configuration can force a charset
    assertEquals(
        "ISO-8859-1",
        CsvText.probe(new ByteArrayInputStream(latin1), "ISO-8859-1").layout().charset());
  }

  @Test
  void gzipIsRecognisedByItsContentWhateverTheName() throws Exception {
    byte[] tsv = utf8("freqCode\treporterCode\tcmdCode\nM\t156\t260300\n");
    byte[] gz = gzip(tsv);
    Probe p = probe(gz);
    assertTrue(p.layout().gzip());
    assertEquals('\t', p.layout().delimiter());
    assertEquals(List.of("freqCode", "reporterCode", "cmdCode"), p.header());
    assertEquals(List.of("2 [M, 156, 260300]"), records(gz));
    // the fingerprint is of the bytes on disk (the compressed ones)
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gz)), p.sha256());
    assertFalse(probe(tsv).layout().gzip());
  }

  @Test
  void unreadableFilesSayWhyWithoutPrintingTheirBytes() throws Exception {
    assertEquals("empty file (0 bytes)", probe(new byte[0]).problem());
    byte[] gz = gzip(utf8("a,b\n1,2\n3,4\n".repeat(1000)));
    byte[] truncated = Arrays.copyOf(gz, gz.length / 2);
    assertTrue(
        probe(truncated).problem().startsWith("truncated or corrupt gzip"),
        probe(truncated).problem());
    byte[] binary = {'a', ',', 'b', '\n', 0, 1, 2, (byte) 0xff, 0x7f, '\n'};
    String why = probe(binary).problem();
    assertTrue(why.startsWith("binary content (a NUL byte at offset 4)"), why);
    assertTrue(probe(utf8("PK\u0003\u0004rest of a zip")).problem().contains("zip archive"));
    assertTrue(probe(utf8("\n\n   \n")).problem().startsWith("no header"));
    assertNull(probe(utf8("a\n")).problem());
  }

  @Test
  void printableMakesFileTextSafeForAConsole() {
    assertEquals("a?b?c", Printable.of("a\u0000b\u001bc"));
    assertEquals(203, Printable.of("x".repeat(500)).length() + 2);
    assertEquals("Côte d'Ivoire", Printable.of("Côte d'Ivoire"));
  }

  @Test
  void columnKeysIgnoreCaseBlanksUnderscoresAndPunctuation() {
    assertEquals("cmdcode", ColumnKey.of("CmdCode"));
    assertEquals("cmdcode", ColumnKey.of("cmd_code"));
    assertEquals("cmdcode", ColumnKey.of("\uFEFFcmdCode "));
    assertEquals("prodest2024", ColumnKey.of("PROD_EST_ 2024"));
    assertEquals("usprodrefineryprimarykt", ColumnKey.of("USprod_Refinery-primary_kt"));
  }

  @Test
  void referenceFilesAreReadWhole() throws IOException {
    byte[] f = utf8("\uFEFFcode,name\r\nt,\"Metric ton\"\r\n\r\nkt,\"Thousand, metric\"\r\n");
    assertEquals(
        List.of(
            List.of("code", "name"), List.of("t", "Metric ton"), List.of("kt", "Thousand, metric")),
        CsvText.readAll(f, null));
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
