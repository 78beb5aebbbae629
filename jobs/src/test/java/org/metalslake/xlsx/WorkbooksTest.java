package org.metalslake.xlsx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/**
 * Workbooks read as stored: numbers to Excel's 15 significant digits whatever their display format,
 * shared and inline strings, booleans, gaps between cells kept as empty cells, rows without a value
 * left out, and a zip archive that is no workbook told apart.
 */
class WorkbooksTest {

  private static byte[] bytes(Workbook wb) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    wb.write(out);
    wb.close();
    return out.toByteArray();
  }

  private static byte[] sample() throws IOException {
    XSSFWorkbook wb = new XSSFWorkbook();
    var hidden = wb.createSheet("Hidden notes");
    hidden.createRow(0).createCell(0).setCellValue("internal");
    var s = wb.createSheet("Monthly Prices");
    Row r1 = s.createRow(0);
    r1.createCell(0).setCellValue("title");
    r1.createCell(1).setCellValue(2113.2399999999998);
    r1.createCell(2).setCellValue(true);
    s.createRow(1); // a row with no value
    Row r3 = s.createRow(2);
    r3.createCell(0).setCellValue("a");
    r3.createCell(2).setCellValue(1e-10); // B3 has no cell
    r3.createCell(3).setCellValue(0.1 + 0.2);
    return bytes(wb);
  }

  @Test
  void rowsAreReadAsStoredWithTheirRowNumbers() throws IOException {
    List<SheetRow> rows = new ArrayList<>();
    Workbooks.rows(new ByteArrayInputStream(sample()), "monthly prices", rows::add);
    assertEquals(2, rows.size());
    assertEquals(1, rows.get(0).number());
    assertEquals(List.of("title", "2113.24", "TRUE"), rows.get(0).cells());
    assertEquals(3, rows.get(1).number());
    assertEquals(List.of("a", "", "0.0000000001", "0.3"), rows.get(1).cells());
    assertEquals("", rows.get(1).cell(10));
  }

  @Test
  void thePreviewHasEverySheetWithItsFirstRows() throws IOException {
    List<Sheet> sheets = Workbooks.sheets(new ByteArrayInputStream(sample()), 1).orElseThrow();
    assertEquals(2, sheets.size());
    assertEquals("Hidden notes", sheets.get(0).name());
    assertEquals("Monthly Prices", sheets.get(1).name());
    assertEquals(1, sheets.get(1).rows().size());
    assertEquals("title", sheets.get(1).rows().get(0).cell(0));
  }

  @Test
  void inlineStringsAsAStreamingWriterStoresThem() throws IOException {
    SXSSFWorkbook wb = new SXSSFWorkbook();
    wb.createSheet("S").createRow(4).createCell(1).setCellValue("inline text");
    byte[] b = bytes(wb);
    List<SheetRow> rows = new ArrayList<>();
    Workbooks.rows(new ByteArrayInputStream(b), "S", rows::add);
    assertEquals(5, rows.get(0).number());
    assertEquals(List.of("", "inline text"), rows.get(0).cells());
  }

  @Test
  void aZipThatIsNoWorkbookAndAMissingSheetAreToldApart() throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("data.csv"));
      z.write("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    assertTrue(Workbooks.sheets(new ByteArrayInputStream(zip.toByteArray()), 5).isEmpty());
    IOException e =
        assertThrows(
            IOException.class,
            () -> Workbooks.rows(new ByteArrayInputStream(sample()), "Annual Prices", r -> {}));
    assertTrue(e.getMessage().contains("no sheet 'Annual Prices'"), e.getMessage());
  }
}
