package org.metalslake.sources;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.metalslake.csv.Printable;
import org.metalslake.sources.baci.BaciCountryCodesFormat;
import org.metalslake.sources.baci.BaciFormat;
import org.metalslake.sources.comtrade.ComtradeFormat;
import org.metalslake.sources.fred.FredFormat;
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
import org.metalslake.sources.worldbank.PinkSheetFormat;
import org.metalslake.xlsx.Sheet;

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
            new FxRatesFormat(),
            new PinkSheetFormat(),
            new FredFormat()));
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

  /** A workbook format and where its records are, for a workbook with these sheets. */
  public record SheetMatch(SourceFormat format, SheetHeader header) {}

  /** The format that reads one of these sheets of a workbook, if any. */
  public Optional<SheetMatch> findSheet(List<Sheet> sheets) {
    for (SourceFormat f : formats) {
      Optional<SheetHeader> h = f.sheet(sheets);
      if (h.isPresent()) {
        return Optional.of(new SheetMatch(f, h.get()));
      }
    }
    return Optional.empty();
  }

  /** Why a workbook is not recognised: its sheets and the workbook formats known. */
  public String unknownWorkbook(String file, List<Sheet> sheets) {
    return "no format reads a sheet of the workbook "
        + file
        + ": sheets ["
        + Printable.of(sheets.stream().map(Sheet::name).collect(Collectors.joining(", ")))
        + "]; known workbook formats: "
        + formats.stream()
            .filter(SourceFormat::workbook)
            .map(f -> f.name() + " (" + f.expectedHeader() + ")")
            .collect(Collectors.joining("; "));
  }

  /** Why a header is not recognised: the header as read (made printable) and the known formats. */
  public String unknown(String file, Header header) {
    return "unrecognised header in "
        + file
        + ": ["
        + Printable.of(String.join(",", header.names()))
        + "]; known formats: "
        + formats.stream()
            .filter(f -> !f.workbook())
            .map(f -> f.name() + " (" + f.expectedHeader() + ")")
            .collect(Collectors.joining("; "));
  }
}
