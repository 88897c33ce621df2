package dev.background;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written instant text of {@link TaskStatus#toJson()} is {@link Instant#toString()}. */
class TaskStatusInstantTextTest {

  @Test
  void theTextIsInstantToStringForEveryShapeOfFraction() {
    Random random = new Random(15);
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong() % 300_000_000_000L;
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(seconds, nanos);

      assertThat(TaskStatus.text(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void edgesOfTheFastRangeMatchToo() {
    for (Instant instant : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1),
        Instant.parse("2000-02-29T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.100Z"),
        Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("2026-11-30T16:55:33.508633295Z"),
        Instant.parse("2100-03-01T00:00:00.000001Z"), Instant.MIN, Instant.MAX}) {
      assertThat(TaskStatus.text(instant)).isEqualTo(instant.toString());
    }
    assertThat(TaskStatus.text(null)).isNull();
  }
}
