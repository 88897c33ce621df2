package dev.background.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs one plain-harness scenario in a JVM of its own (a clean heap for the memory figures):
 * {@code Child <scenario> <quick|full> <out.json>}.
 */
public final class Child {

  private Child() {
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    String id = args[0];
    boolean quick = args[1].equals("quick");
    Result r;
    switch (id) {
      case "s3":
        r = RestartPrecision.run(quick);
        break;
      case "s4":
        r = ManyTasks.run(quick);
        break;
      case "s5p":
        r = BlockingTasks.run(quick, false);
        break;
      case "s5v":
        r = BlockingTasks.run(quick, true);
        break;
      case "s6c":
        r = quick ? PeerRestart.run(true, 20, 200) : PeerRestart.run(false, 100, 1_000);
        break;
      case "s6s":
        r = quick ? PeerRestart.run(true, 1, 100) : PeerRestart.run(false, 1, 1_000);
        break;
      case "s7":
        r = StatusAtScale.run(quick);
        break;
      case "s8":
        r = RetentionSoak.run(quick);
        break;
      case "s9":
        r = ScheduleFires.run(quick);
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + id);
    }
    Files.writeString(Path.of(args[2]), r.toJson().encodePrettily());
  }
}
