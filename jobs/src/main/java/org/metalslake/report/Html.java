package org.metalslake.report;

import java.util.List;
import java.util.Locale;

/**
 * A static page: headings, paragraphs, tables and inline SVG charts (bars and a line), escaped,
 * with a small script that records any JavaScript error on the page (a check can read it).
 */
final class Html {
  record Bar(String label, double value, String kind) {}

  record Point(String label, double value) {}

  private final StringBuilder body = new StringBuilder();
  private final String title;

  Html(String title) {
    this.title = title;
  }

  void heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
  }

  void paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
  }

  void table(List<String> header, List<List<String>> rows) {
    body.append("<table><thead><tr>");
    for (String h : header) {
      body.append("<th>").append(escape(h)).append("</th>");
    }
    body.append("</tr></thead><tbody>\n");
    for (List<String> r : rows) {
      body.append("<tr>");
      for (String c : r) {
        body.append("<td>").append(escape(c == null ? "" : c)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
  }

  /** Horizontal bars, one per value, with the value at the bar's end; the caption under it. */
  void barChart(String id, List<Bar> bars, String unit, String caption) {
    int rowH = 18;
    int labelW = 260;
    int plotW = 420;
    int h = Math.max(1, bars.size()) * rowH + 30;
    double top = bars.stream().mapToDouble(b -> Math.abs(b.value())).max().orElse(1);
    top = top <= 0 ? 1 : top;
    body.append("<figure id=\"").append(id).append("\">\n");
    body.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            labelW + plotW + 80,
            h,
            labelW + plotW + 80,
            h));
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = 10 + i * rowH;
      double w = Math.max(1, plotW * Math.abs(b.value()) / top);
      body.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                  + "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\">"
                  + "<title>%s: %s %s</title></rect>"
                  + "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
              labelW - 6,
              y + 12,
              escape(b.label()),
              b.kind(),
              labelW,
              y,
              w,
              rowH - 4,
              escape(b.label()),
              number(b.value()),
              escape(unit),
              labelW + w + 4,
              y + 12,
              number(b.value()) + " " + escape(unit)));
    }
    body.append("</svg>\n<figcaption>")
        .append(escape(caption))
        .append("</figcaption>\n</figure>\n");
  }

  /** One line over labelled points (months), a zero line, the first and last label. */
  void lineChart(String id, List<Point> points, String unit, String caption) {
    int w = 720;
    int h = 240;
    int pad = 40;
    double lo = Math.min(0, points.stream().mapToDouble(Point::value).min().orElse(0));
    double hi = Math.max(0, points.stream().mapToDouble(Point::value).max().orElse(1));
    if (hi == lo) {
      hi = lo + 1;
    }
    body.append("<figure id=\"").append(id).append("\">\n");
    body.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            w,
            h,
            w,
            h));
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < points.size(); i++) {
      double x = pad + (w - 2 * pad) * (points.size() == 1 ? 0.5 : i / (points.size() - 1.0));
      double y = pad + (h - 2 * pad) * (hi - points.get(i).value()) / (hi - lo);
      d.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
      body.append(
          String.format(
              Locale.ROOT,
              "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s: %s %s</title>"
                  + "</circle>\n",
              x,
              y,
              escape(points.get(i).label()),
              number(points.get(i).value()),
              escape(unit)));
    }
    double zero = pad + (h - 2 * pad) * hi / (hi - lo);
    body.append(
        String.format(
            Locale.ROOT,
            "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                + "<text x=\"4\" y=\"%.1f\">0 %s</text>\n",
            pad,
            zero,
            w - pad,
            zero,
            zero - 4,
            escape(unit)));
    body.append("<path class=\"line\" d=\"").append(d).append("\"/>\n");
    if (!points.isEmpty()) {
      body.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s"
                  + "</text>\n",
              pad,
              h - 10,
              escape(points.get(0).label()),
              w - pad,
              h - 10,
              escape(points.get(points.size() - 1).label())));
      body.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\">%s %s … %s %s</text>\n",
              pad,
              16,
              number(lo),
              escape(unit),
              number(hi),
              escape(unit)));
    }
    body.append("</svg>\n<figcaption>")
        .append(escape(caption))
        .append("</figcaption>\n</figure>\n");
  }

  @Override
  public String toString() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
        + escape(title)
        + "</title>\n<script>window.onerror=function(m){var b=document.documentElement;"
        + "b.setAttribute('data-js-errors',(b.getAttribute('data-js-errors')||'')+m+';');};"
        + "</script>\n<style>"
        + "body{font-family:sans-serif;margin:2em;max-width:64em;color:#222}"
        + "svg.chart text{font-size:11px;fill:#333}"
        + "rect.bar{fill:#4a78c2}rect.bar.published{fill:#e0a030}rect.bar.over{fill:#c0392b}"
        + "path.line{fill:none;stroke:#4a78c2;stroke-width:2}circle.point{fill:#4a78c2}"
        + "line.axis{stroke:#999}figcaption{font-size:.9em;color:#555;margin:.3em 0 1em}"
        + "table{border-collapse:collapse;font-size:.85em;margin-bottom:2em}"
        + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        + "</style></head>\n<body>\n<h1>"
        + escape(title)
        + "</h1>\n"
        + body
        + "<script>document.documentElement.setAttribute('data-ready',"
        + "String(document.querySelectorAll('svg.chart').length));</script>\n"
        + "</body></html>\n";
  }

  static String number(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.1f", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
