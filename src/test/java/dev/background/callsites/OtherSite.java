package dev.background.callsites;

import dev.background.AsyncTask;
import dev.background.Tasks;

/** Submits a task written in another class. */
public final class OtherSite {

  private OtherSite() {
  }

  /** Submits {@code task} from here; the name a walk gives is this class and method. */
  public static CallSites.Named submit(Tasks tasks, AsyncTask task) {
    String name = tasks.onceAsync("elsewhere", task).name();
    return new CallSites.Named(name, OtherSite.class.getName() + ".submit.elsewhere");
  }

  /** The same, from a second method. */
  public static CallSites.Named submitAgain(Tasks tasks, AsyncTask task) {
    String name = tasks.onceAsync("elsewhere", task).name();
    return new CallSites.Named(name, OtherSite.class.getName() + ".submitAgain.elsewhere");
  }
}
