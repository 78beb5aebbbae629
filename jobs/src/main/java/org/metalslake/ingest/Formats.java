package org.metalslake.ingest;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.metalslake.ingest.capacity.GenericCapacityFormat;
import org.metalslake.ingest.prices.FxRatesFormat;
import org.metalslake.ingest.prices.GenericPricesFormat;
import org.metalslake.ingest.production.BureauMonthlyFormat;
import org.metalslake.ingest.production.GenericProductionFormat;
import org.metalslake.ingest.production.UsgsWorldFormat;
import org.metalslake.ingest.stocks.GenericStocksFormat;
import org.metalslake.ingest.trade.BaciCountryCodesFormat;
import org.metalslake.ingest.trade.BaciFormat;
import org.metalslake.ingest.trade.ComtradeFormat;
import org.metalslake.ingest.trade.GenericTradeFormat;
import org.metalslake.ingest.usgs.UsgsSalientFormat;

/** The registry of input formats, recognised from a file's header wherever the file lands. */
public final class Formats {
  private final List<SourceFormat> formats;

  public Formats(List<SourceFormat> formats) {
    this.formats = List.copyOf(formats);
  }

  public static Formats all() {
    return new Formats(
        List.of(
            new UsgsWorldFormat(),
            new UsgsSalientFormat(),
            new BureauMonthlyFormat(),
            new GenericProductionFormat(),
            new ComtradeFormat(),
            new BaciFormat(),
            new BaciCountryCodesFormat(),
            new GenericTradeFormat(),
            new GenericStocksFormat(),
            new GenericCapacityFormat(),
            new GenericPricesFormat(),
            new FxRatesFormat()));
  }

  public List<SourceFormat> list() {
    return formats;
  }

  /** The format of a file with this header, or an error naming the file and the known formats. */
  public SourceFormat detect(String file, List<String> header) {
    List<String> normalised =
        header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    while (!normalised.isEmpty() && normalised.get(normalised.size() - 1).isEmpty()) {
      normalised.remove(normalised.size() - 1);
    }
    for (SourceFormat f : formats) {
      if (f.matches(normalised)) {
        return f;
      }
    }
    throw new UnknownFormatException(
        "unrecognised header in "
            + file
            + ": ["
            + String.join(",", header)
            + "]; known formats: "
            + formats.stream()
                .map(f -> f.name() + " (" + f.expectedHeader() + ")")
                .collect(Collectors.joining("; ")));
  }

  /** A file whose header matches no known format. */
  public static final class UnknownFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownFormatException(String message) {
      super(message);
    }
  }
}
