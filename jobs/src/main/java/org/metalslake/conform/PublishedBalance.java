package org.metalslake.conform;

import java.util.List;
import org.metalslake.storage.TableDoc;

/**
 * {@code silver.published_balance}: balance figures a source publishes itself (apparent
 * consumption, reported consumption, net import reliance), kept to be shown beside the computed
 * ones.
 */
public final class PublishedBalance {
  private PublishedBalance() {}

  public static final List<String> KEY =
      List.of("source", "country_iso3", "metal", "stage", "measure", "period");

  public static final TableDoc DOC =
      TableDoc.of("Balance figures as the source published them, beside which gold shows its own")
          .column(
              "measure",
              "apparent_consumption, reported_consumption or nir; for the leading producer in"
                  + " USGS's critical-minerals tables leading_country_production, world_production"
                  + " and leading_country_share")
          .column(
              "value",
              "Tonnes for consumption and production, percent for nir and a share; null for a"
                  + " code or a bound")
          .column(
              "value_text",
              "The figure as published: E net exporter, >75 a bound, W withheld, NA not available")
          .column("method", "For nir: trade or consumption (how the source defines it)")
          .column("columns", "Source columns the figure was read from");
}
