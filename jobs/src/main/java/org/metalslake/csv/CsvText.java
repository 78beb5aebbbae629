package org.metalslake.csv;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Delimited text as publishers ship it, read with one RFC 4180 parser (FastCSV): quoted delimiters,
 * doubled quotes and line breaks inside quotes; comma, tab, semicolon or pipe delimiters, detected
 * from the header; UTF-8 with or without a byte-order mark, UTF-16 with one, and Windows-1252 for
 * files that are not valid UTF-8; gzip recognised by its first bytes, whatever the file is called.
 *
 * <p>{@link #probe} reads a file once, whole: it fingerprints the bytes on disk, decides the layout
 * and reads the header. {@link #open} then reads the records with that layout, on any machine.
 */
public final class CsvText {
  private CsvText() {}

  /** Windows-1252: what a file that is not valid UTF-8 is read as, unless configured otherwise. */
  public static final String FALLBACK_CHARSET = "windows-1252";

  /**
   * The problem of a zip archive: not delimited text (a workbook is then looked at as a workbook).
   */
  public static final String ZIP_ARCHIVE =
      "a zip archive (for example a spreadsheet or a zipped download), not delimited text:"
          + " unpack it or save the sheet as CSV";

  /** Delimiters tried on the header, in order of preference when they split it equally. */
  static final char[] DELIMITERS = {',', '\t', ';', '|'};

  private static final int HEAD_BYTES = 1 << 16;
  private static final int BUFFER = 1 << 16;

  /**
   * Reads {@code raw} to its end and says how it is laid out. {@code charset} forces a character
   * set (from configuration); null detects it. Never throws for bad content: an empty, truncated,
   * binary or header-less file comes back with its {@link Probe#problem()}.
   */
  public static Probe probe(InputStream raw, String charset) throws IOException {
    MessageDigest md = sha256();
    CountingStream counted = new CountingStream(new DigestInputStream(raw, md), false);
    BufferedInputStream in = new BufferedInputStream(counted, BUFFER);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 < 0) {
      return Probe.failed(hex(md), 0, "empty file (0 bytes)");
    }
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    String problem = null;
    byte[] head = new byte[0];
    Bom bom = Bom.NONE;
    boolean utf8 = true;
    long nulAt = -1;
    try {
      InputStream content = gzip ? new GZIPInputStream(in, BUFFER) : in;
      head = content.readNBytes(HEAD_BYTES);
      bom = Bom.of(head);
      if (head.length == 0) {
        problem = "empty file (no content after decompressing)";
      } else if (startsWith(head, "PK\u0003\u0004")) {
        problem = ZIP_ARCHIVE;
      } else if (startsWith(head, "%PDF")) {
        problem = "a PDF document, not delimited text";
      } else {
        CountingStream scan =
            new CountingStream(
                new SequenceInputStream(new ByteArrayInputStream(head), new NoClose(content)),
                !bom.utf16());
        if (bom.utf16() || charset != null) {
          scan.transferTo(OutputSink.INSTANCE);
        } else {
          utf8 = validUtf8(scan);
          scan.transferTo(OutputSink.INSTANCE);
        }
        nulAt = scan.firstNul;
        if (nulAt >= 0) {
          problem =
              "binary content (a NUL byte at offset "
                  + nulAt
                  + "), not delimited text in a known character set";
        }
      }
    } catch (EOFException | ZipException e) {
      problem =
          gzip
              ? "truncated or corrupt gzip ("
                  + Printable.of(e.getMessage() == null ? "unexpected end of data" : e.getMessage())
                  + "): the download or copy is incomplete"
              : "unreadable: " + Printable.of(String.valueOf(e.getMessage()));
    }
    in.transferTo(OutputSink.INSTANCE); // the digest covers every byte on disk
    String sha = hex(md);
    long bytes = counted.count;
    if (problem != null) {
      return Probe.failed(sha, bytes, problem);
    }
    String cs =
        charset != null
            ? charset
            : bom.charset != null ? bom.charset : utf8 ? "UTF-8" : FALLBACK_CHARSET;
    String text = decode(head, bom.length, cs);
    boolean sepLine = false;
    char delimiter;
    String sep = sepHint(text);
    if (sep != null) {
      sepLine = true;
      delimiter = sep.charAt(0);
      text = text.substring(text.indexOf('\n') + 1);
    } else {
      delimiter = detectDelimiter(text);
    }
    List<String> header = new ArrayList<>();
    long headerLine = 0;
    try (CsvReader<CsvRecord> csv = reader(delimiter, text)) {
      for (CsvRecord r : csv) {
        if (!blank(r)) {
          header.addAll(r.getFields());
          headerLine = r.getStartingLineNumber() + (sepLine ? 1 : 0);
          break;
        }
      }
    }
    if (header.isEmpty()) {
      return Probe.failed(sha, bytes, "no header: the file holds only blank lines");
    }
    return new Probe(
        sha,
        bytes,
        new TextLayout(gzip, cs, bom.length, delimiter, sepLine),
        header,
        headerLine,
        null);
  }

  /**
   * The records of a file with the layout {@link #probe} found, the header first. Blank lines are
   * not records; a record's {@link CsvRecord#getStartingLineNumber()} is its first physical line.
   */
  public static CsvReader<CsvRecord> open(InputStream raw, TextLayout layout) throws IOException {
    InputStream in = new BufferedInputStream(raw, BUFFER);
    if (layout.gzip()) {
      in = new GZIPInputStream(in, BUFFER);
    }
    in.skipNBytes(layout.bomBytes());
    Reader reader = new InputStreamReader(in, Charset.forName(layout.charset()));
    CsvReader<CsvRecord> csv = builder(layout.delimiter()).ofCsvRecord(reader);
    if (layout.sepLine()) {
      csv.skipLines(1);
    }
    return csv;
  }

  /** A whole small file (reference data): the header, then every record, blank lines left out. */
  public static List<List<String>> readAll(byte[] bytes, String charset) throws IOException {
    Probe p = probe(new ByteArrayInputStream(bytes), charset);
    if (!p.readable()) {
      throw new IOException(p.problem());
    }
    List<List<String>> rows = new ArrayList<>();
    try (CsvReader<CsvRecord> csv = open(new ByteArrayInputStream(bytes), p.layout())) {
      for (CsvRecord r : csv) {
        if (!blankLine(r) && !(rows.isEmpty() && blank(r))) {
          rows.add(r.getFields());
        }
      }
    }
    return rows;
  }

  /** A line with nothing but blanks on it: no record at all. */
  public static boolean blankLine(CsvRecord r) {
    return r.getFieldCount() == 1 && r.getField(0).isBlank();
  }

  /** A record whose every field is blank (a spreadsheet's {@code ,,,} row, or a blank line). */
  public static boolean blank(CsvRecord r) {
    for (String f : r.getFields()) {
      if (!f.isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static CsvReader.CsvReaderBuilder builder(char delimiter) {
    return CsvReader.builder()
        .fieldSeparator(delimiter)
        .quoteCharacter('"')
        .commentStrategy(CommentStrategy.NONE)
        .skipEmptyLines(true)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .allowExtraCharsAfterClosingQuote(true);
  }

  private static CsvReader<CsvRecord> reader(char delimiter, String text) {
    return builder(delimiter).ofCsvRecord(text);
  }

  /**
   * The delimiter that splits the first non-blank record into the most fields (comma when none
   * splits it: a one-column file).
   */
  static char detectDelimiter(String text) {
    char best = ',';
    int most = 1;
    for (char d : DELIMITERS) {
      try (CsvReader<CsvRecord> csv = reader(d, text)) {
        for (CsvRecord r : csv) {
          if (!blank(r)) {
            if (r.getFieldCount() > most) {
              most = r.getFieldCount();
              best = d;
            }
            break;
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e); // a String reader does not fail
      }
    }
    return best;
  }

  /** The delimiter of a spreadsheet's {@code sep=;} first line, or null. */
  private static String sepHint(String text) {
    int nl = text.indexOf('\n');
    String first = (nl < 0 ? text : text.substring(0, nl)).strip();
    if (first.length() == 5 && first.regionMatches(true, 0, "sep=", 0, 4)) {
      return first.substring(4);
    }
    return null;
  }

  private static boolean validUtf8(InputStream in) throws IOException {
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    char[] buf = new char[BUFFER];
    try (Reader r = new InputStreamReader(new NoClose(in), dec)) {
      while (r.read(buf) >= 0) {
        // reading checks the bytes
      }
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String decode(byte[] head, int skip, String charset) {
    CharsetDecoder dec =
        Charset.forName(charset)
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      CharBuffer cb = dec.decode(java.nio.ByteBuffer.wrap(head, skip, head.length - skip));
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(e); // REPLACE does not throw
    }
  }

  private static boolean startsWith(byte[] head, String ascii) {
    if (head.length < ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (head[i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(MessageDigest md) {
    return HexFormat.of().formatHex(md.digest());
  }

  /** Byte-order marks: UTF-8, UTF-16 little and big endian. */
  private enum Bom {
    NONE(null, 0),
    UTF8("UTF-8", 3),
    UTF16LE("UTF-16LE", 2),
    UTF16BE("UTF-16BE", 2);

    final String charset;
    final int length;

    Bom(String charset, int length) {
      this.charset = charset;
      this.length = length;
    }

    boolean utf16() {
      return this == UTF16LE || this == UTF16BE;
    }

    static Bom of(byte[] b) {
      if (b.length >= 3
          && (b[0] & 0xff) == 0xef
          && (b[1] & 0xff) == 0xbb
          && (b[2] & 0xff) == 0xbf) {
        return UTF8;
      }
      if (b.length >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) {
        return UTF16LE;
      }
      if (b.length >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) {
        return UTF16BE;
      }
      return NONE;
    }
  }

  /** Counts the bytes read and, when asked, notes the offset of the first NUL byte. */
  private static final class CountingStream extends FilterInputStream {
    private final boolean findNul;
    long count;
    long firstNul = -1;

    CountingStream(InputStream in, boolean findNul) {
      super(in);
      this.findNul = findNul;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        if (findNul && b == 0 && firstNul < 0) {
          firstNul = count;
        }
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        if (findNul && firstNul < 0) {
          for (int i = 0; i < n; i++) {
            if (b[off + i] == 0) {
              firstNul = count + i;
              break;
            }
          }
        }
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }
  }

  /** Keeps a reader's close from closing the stream the probe goes on reading. */
  private static final class NoClose extends FilterInputStream {
    NoClose(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }

  /** Where bytes that only need to pass through a digest or a check go. */
  private static final class OutputSink extends java.io.OutputStream {
    static final OutputSink INSTANCE = new OutputSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
