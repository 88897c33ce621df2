package dev.background.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The samples of one figure over the repetitions, with median, min and max. */
final class Stat {

  final String unit;
  final List<Double> samples = new ArrayList<>();

  Stat(String unit) {
    this.unit = unit;
  }

  Stat add(double v) {
    samples.add(v);
    return this;
  }

  double median() {
    return percentile(values(), 50);
  }

  double min() {
    return Arrays.stream(values()).min().orElse(Double.NaN);
  }

  double max() {
    return Arrays.stream(values()).max().orElse(Double.NaN);
  }

  private double[] values() {
    return samples.stream().mapToDouble(Double::doubleValue).toArray();
  }

  JsonObject toJson() {
    JsonArray a = new JsonArray();
    samples.forEach(v -> a.add(round(v)));
    return new JsonObject().put("unit", unit).put("median", round(median())).put("min", round(min()))
        .put("max", round(max())).put("samples", a);
  }

  /** Nearest-rank percentile over a copy; the median of an even count is the mean of the two middles. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    if (p == 50) {
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  static double percentile(long[] values, int count, double p) {
    double[] d = new double[count];
    for (int i = 0; i < count; i++) {
      d[i] = values[i];
    }
    return percentile(d, p);
  }

  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return v;
    }
    double a = Math.abs(v);
    double scale = a >= 1000 ? 1 : a >= 10 ? 100 : 10000;
    return Math.round(v * scale) / scale;
  }
}
