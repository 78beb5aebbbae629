package org.metalslake.xlsx;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.UnsupportedFileFormatException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Excel workbooks (OOXML, {@code .xlsx}) as published, read as a stream of rows (SAX, one sheet at
 * a time; the workbook is never built in memory). A cell is read as stored, not as displayed: a
 * number as its value to 15 significant digits (Excel's precision: {@code 2113.2399999999998} is
 * {@code 2113.24}), whatever its display format; text as written; a formula as its cached result;
 * an error as its code ({@code #N/A}). Dates stored as numbers stay serial numbers.
 */
public final class Workbooks {
  private Workbooks() {}

  /**
   * The sheets of a workbook in workbook order, each with its first {@code rows} rows that have a
   * value; empty when the stream is not an OOXML workbook (another kind of zip archive).
   */
  public static Optional<List<Sheet>> sheets(InputStream in, int rows) throws IOException {
    List<Sheet> out = new ArrayList<>();
    boolean workbook =
        read(
            in,
            (name, xml, strings) -> {
              List<SheetRow> first = new ArrayList<>();
              parse(
                  xml,
                  strings,
                  r -> {
                    if (!r.blank()) {
                      first.add(r);
                      if (first.size() >= rows) {
                        throw new Enough();
                      }
                    }
                  });
              out.add(new Sheet(name, first));
              return true;
            });
    return workbook ? Optional.of(out) : Optional.empty();
  }

  /**
   * Every row of one sheet (named as in the workbook, compared ignoring case) that has a value, in
   * order. Throws when the workbook has no such sheet.
   */
  public static void rows(InputStream in, String sheet, Consumer<SheetRow> each)
      throws IOException {
    boolean[] found = {false};
    boolean workbook =
        read(
            in,
            (name, xml, strings) -> {
              if (!name.equalsIgnoreCase(sheet)) {
                return true;
              }
              found[0] = true;
              parse(
                  xml,
                  strings,
                  r -> {
                    if (!r.blank()) {
                      each.accept(r);
                    }
                  });
              return false;
            });
    if (!workbook) {
      throw new IOException("not an OOXML workbook (xlsx)");
    }
    if (!found[0]) {
      throw new IOException("the workbook has no sheet '" + sheet + "'");
    }
  }

  /** What is done with one sheet's XML; false stops at this sheet. */
  private interface SheetVisitor {
    boolean visit(String name, InputStream xml, ReadOnlySharedStringsTable strings)
        throws IOException, SAXException;
  }

  private static boolean read(InputStream in, SheetVisitor visitor) throws IOException {
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(in);
    } catch (OpenXML4JException | UnsupportedFileFormatException e) {
      return false;
    }
    try {
      XSSFReader reader;
      ReadOnlySharedStringsTable strings;
      try {
        reader = new XSSFReader(pkg);
        strings = new ReadOnlySharedStringsTable(pkg, false);
      } catch (OpenXML4JException | UnsupportedFileFormatException | SAXException e) {
        return false;
      }
      try {
        XSSFReader.SheetIterator it = (XSSFReader.SheetIterator) reader.getSheetsData();
        while (it.hasNext()) {
          try (InputStream xml = it.next()) {
            if (!visitor.visit(it.getSheetName(), xml, strings)) {
              break;
            }
          }
        }
      } catch (OpenXML4JException | SAXException e) {
        throw new IOException("unreadable workbook: " + e.getMessage(), e);
      }
      return true;
    } finally {
      pkg.revert(); // opened read-only from a stream: nothing to save
    }
  }

  /** Thrown by a row consumer that has seen enough rows of a sheet. */
  private static final class Enough extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Enough() {
      super(null, null, false, false);
    }
  }

  private static void parse(
      InputStream xml, ReadOnlySharedStringsTable strings, Consumer<SheetRow> each)
      throws IOException, SAXException {
    XMLReader parser;
    try {
      parser = XMLHelper.newXMLReader();
    } catch (ParserConfigurationException e) {
      throw new IOException(e);
    }
    parser.setContentHandler(new Rows(strings, each));
    try {
      parser.parse(new InputSource(xml));
    } catch (Enough e) {
      // the consumer has what it needs
    }
  }

  /** Column index from 0 of a cell reference such as {@code BN727}; -1 when there is none. */
  static int column(String ref) {
    if (ref == null) {
      return -1;
    }
    int c = 0;
    int i = 0;
    while (i < ref.length() && Character.isLetter(ref.charAt(i))) {
      c = c * 26 + (Character.toUpperCase(ref.charAt(i)) - 'A' + 1);
      i++;
    }
    return i == 0 ? -1 : c - 1;
  }

  /** A stored number as Excel holds it: 15 significant digits, no exponent, no trailing zeros. */
  static String number(String raw) {
    try {
      BigDecimal d = new BigDecimal(raw.trim()).round(new MathContext(15));
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return raw;
    }
  }

  /** The SAX handler of a sheet's XML: rows of cell texts. */
  private static final class Rows extends DefaultHandler {
    private final ReadOnlySharedStringsTable strings;
    private final Consumer<SheetRow> each;
    private final List<String> cells = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private long row;
    private int column;
    private String type;
    private boolean inValue;
    private boolean inInline;

    Rows(ReadOnlySharedStringsTable strings, Consumer<SheetRow> each) {
      this.strings = strings;
      this.each = each;
    }

    private static String local(String localName, String qName) {
      if (localName != null && !localName.isEmpty()) {
        return localName;
      }
      int colon = qName.indexOf(':');
      return colon < 0 ? qName : qName.substring(colon + 1);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes a) {
      switch (local(localName, qName)) {
        case "row" -> {
          String r = a.getValue("r");
          row = r == null ? row + 1 : Long.parseLong(r);
          cells.clear();
          column = -1;
        }
        case "c" -> {
          int c = column(a.getValue("r"));
          column = c < 0 ? column + 1 : c;
          type = a.getValue("t");
          text.setLength(0);
        }
        case "v" -> inValue = true;
        case "is" -> inInline = true;
        default -> {}
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (inValue || inInline) {
        text.append(ch, start, length);
      }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
      switch (local(localName, qName)) {
        case "v" -> inValue = false;
        case "is" -> inInline = false;
        case "c" -> {
          String value = value();
          if (!value.isEmpty()) {
            while (cells.size() < column) {
              cells.add("");
            }
            cells.add(value);
          }
        }
        case "row" -> each.accept(new SheetRow(row, cells));
        default -> {}
      }
    }

    private String value() {
      String raw = text.toString();
      if (raw.isEmpty()) {
        return "";
      }
      if (type == null || type.equals("n")) {
        return number(raw);
      }
      return switch (type) {
        case "s" -> strings.getItemAt(Integer.parseInt(raw.trim())).getString();
        case "b" -> raw.trim().equals("1") ? "TRUE" : "FALSE";
        default -> raw; // inlineStr, str (a formula's text), e (an error code), d (ISO date)
      };
    }
  }
}
