package org.metalslake.sources;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.metalslake.csv.Printable;
import org.metalslake.sources.baci.BaciCountryCodesFormat;
import org.metalslake.sources.baci.BaciFormat;
import org.metalslake.sources.comtrade.ComtradeFormat;
import org.metalslake.sources.generic.BureauMonthlyFormat;
import org.metalslake.sources.generic.FxRatesFormat;
import org.metalslake.sources.generic.GenericCapacityFormat;
import org.metalslake.sources.generic.GenericPricesFormat;
import org.metalslake.sources.generic.GenericProductionFormat;
import org.metalslake.sources.generic.GenericStocksFormat;
import org.metalslake.sources.generic.GenericTradeFormat;
import org.metalslake.sources.usgs.UsgsCommoditiesFormat;
import org.metalslake.sources.usgs.UsgsCriticalMineralsFormat;
import org.metalslake.sources.usgs.UsgsImportRelianceFormat;
import org.metalslake.sources.usgs.UsgsSalientFormat;
import org.metalslake.sources.usgs.UsgsWorldFormat;

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
            new UsgsCommoditiesFormat(),
            new UsgsCriticalMineralsFormat(),
            new UsgsImportRelianceFormat(),
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

  /** The format of a file with this header, if any knows it. */
  public Optional<SourceFormat> find(Header header) {
    for (SourceFormat f : formats) {
      if (f.matches(header)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Why a header is not recognised: the header as read (made printable) and the known formats. */
  public String unknown(String file, Header header) {
    return "unrecognised header in "
        + file
        + ": ["
        + Printable.of(String.join(",", header.names()))
        + "]; known formats: "
        + formats.stream()
            .map(f -> f.name() + " (" + f.expectedHeader() + ")")
            .collect(Collectors.joining("; "));
  }
}
