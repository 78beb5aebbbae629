package org.metalslake.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Charts for notebooks, drawn with XChart and returned as images ({@code display(image)} shows them
 * inline as PNG). Every chart has a title and both axis titles, with units: the callers give them,
 * the methods refuse blanks.
 */
public final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 450;

  private Charts() {}

  /**
   * A line per value of {@code series} (one line, named after the y axis, when null) over a period
   * column: {@code YYYY}, {@code YYYY-MM} or {@code YYYY-Qn} strings, or dates. Nulls in {@code y}
   * break nothing: the point is left out.
   */
  public static BufferedImage line(
      String title,
      String xTitle,
      String yTitle,
      Dataset<Row> df,
      String period,
      String y,
      String series) {
    XYChart chart = framed(new XYChart(WIDTH, HEIGHT), title, xTitle, yTitle);
    List<Row> rows = df.orderBy(period).collectAsList();
    chart.getStyler().setDatePattern(hasMonths(rows, period) ? "yyyy-MM" : "yyyy");
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setTimezone(java.util.TimeZone.getTimeZone("UTC"));
    Map<String, List<Row>> groups = groups(rows, series, yTitle);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(title + ": no rows to draw");
    }
    for (var g : groups.entrySet()) {
      List<Date> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (Row r : g.getValue()) {
        Object v = r.getAs(y);
        Object p = r.getAs(period);
        if (v != null && p != null) {
          xs.add(date(p));
          ys.add(((Number) v).doubleValue());
        }
      }
      if (!xs.isEmpty()) {
        XYSeries s = chart.addSeries(g.getKey(), xs, ys);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      }
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /**
   * Bars of {@code value} per {@code category}, one colour per value of {@code series} (one series
   * named after the y axis when null). Categories keep the order of the rows.
   */
  public static BufferedImage bar(
      String title,
      String xTitle,
      String yTitle,
      Dataset<Row> df,
      String category,
      String value,
      String series) {
    return bar(title, xTitle, yTitle, df, category, value, series, false);
  }

  /**
   * As {@link #bar(String, String, String, Dataset, String, String, String)}; {@code stacked}
   * stacks the series in one bar per category (parts of a whole, or one series per category).
   */
  public static BufferedImage bar(
      String title,
      String xTitle,
      String yTitle,
      Dataset<Row> df,
      String category,
      String value,
      String series,
      boolean stacked) {
    CategoryChart chart = framed(new CategoryChart(WIDTH, HEIGHT), title, xTitle, yTitle);
    chart.getStyler().setXAxisLabelRotation(45);
    chart.getStyler().setStacked(stacked);
    List<Row> rows = df.collectAsList();
    List<String> categories = new ArrayList<>();
    for (Row r : rows) {
      String c = String.valueOf((Object) r.getAs(category));
      if (!categories.contains(c)) {
        categories.add(c);
      }
    }
    Map<String, List<Row>> groups = groups(rows, series, yTitle);
    if (categories.isEmpty()) {
      throw new IllegalArgumentException(title + ": no rows to draw");
    }
    for (var g : groups.entrySet()) {
      Map<String, Double> byCategory = new LinkedHashMap<>();
      for (Row r : g.getValue()) {
        Object v = r.getAs(value);
        byCategory.put(
            String.valueOf((Object) r.getAs(category)),
            v == null ? null : ((Number) v).doubleValue());
      }
      List<Double> ys = new ArrayList<>();
      for (String c : categories) {
        ys.add(byCategory.get(c)); // a missing bar stays empty
      }
      chart.addSeries(g.getKey(), categories, ys);
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** The chart with its title and axis titles (none may be blank) and the common style. */
  private static <C extends Chart<?, ?>> C framed(
      C chart, String title, String xTitle, String yTitle) {
    chart.setTitle(required(title, "title"));
    chart.setXAxisTitle(required(xTitle, "x axis title"));
    chart.setYAxisTitle(required(yTitle, "y axis title"));
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    // A long title in a smaller font rather than cut off at the edges.
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, title.length() > 60 ? 13 : 16));
    styler.setToolTipsEnabled(false);
    return chart;
  }

  static String required(String text, String what) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a chart needs a " + what);
    }
    return text;
  }

  private static Map<String, List<Row>> groups(List<Row> rows, String series, String single) {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    for (Row r : rows) {
      String key = series == null ? single : String.valueOf((Object) r.getAs(series));
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** Periods finer than a year: dates, or strings such as {@code 2025-04} and {@code 2025-Q2}. */
  private static boolean hasMonths(List<Row> rows, String period) {
    return rows.stream()
        .map(r -> (Object) r.getAs(period))
        .anyMatch(
            p ->
                p instanceof java.sql.Date
                    || p instanceof LocalDate
                    || (p != null && String.valueOf(p).matches("[0-9]{4}-.*")));
  }

  /** {@code 2025}, {@code 2025-04}, {@code 2025-Q2} (first month of the quarter) or a date. */
  static Date date(Object period) {
    if (period instanceof java.sql.Date d) {
      return Date.from(d.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant());
    }
    if (period instanceof LocalDate d) {
      return Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
    String p = String.valueOf(period);
    LocalDate d;
    if (p.matches("[0-9]{4}")) {
      d = LocalDate.of(Integer.parseInt(p), 1, 1);
    } else if (p.matches("[0-9]{4}-[0-9]{2}")) {
      d = LocalDate.of(Integer.parseInt(p.substring(0, 4)), Integer.parseInt(p.substring(5)), 1);
    } else if (p.matches("[0-9]{4}-Q[1-4]")) {
      int q = p.charAt(6) - '0';
      d = LocalDate.of(Integer.parseInt(p.substring(0, 4)), 3 * q - 2, 1);
    } else {
      d = LocalDate.parse(p);
    }
    return Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
  }
}
