package dev.background.impl;

import dev.background.Tasks;
import dev.background.callsites.CallSites;
import dev.background.callsites.CallSites.Named;
import dev.background.callsites.OtherSite;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller prefix is resolved once per call site and cached: the cached name is the name a
 * stack walk gives at the same call site. Each case submits twice from one call site: the first
 * submission walks the stack, the second must take the cached prefix (no walk) and give the same
 * name. The call sites live in {@code dev.background.callsites}, outside the library's packages.
 */
@ExtendWith(VertxExtension.class)
class CallersTest {

  private Tasks tasks;
  private CallSites sites;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
    sites = new CallSites(tasks);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  /** Submits twice; returns the walks the second submission made. */
  private static long secondSubmissionWalks(Supplier<Named> site) {
    Named first = site.get();
    long before = Callers.walks();
    Named second = site.get();
    long walks = Callers.walks() - before;
    assertThat(first.given()).isEqualTo(first.walked());
    assertThat(second.given()).isEqualTo(second.walked());
    return walks;
  }

  @Test
  void aLambdaIsNamedFromTheCacheAsTheWalkNamesIt() {
    assertThat(secondSubmissionWalks(sites::lambda)).isZero();
  }

  @Test
  void aCapturingLambdaIsNamedFromTheCacheAsTheWalkNamesIt() {
    int[] i = {0};
    assertThat(secondSubmissionWalks(() -> sites.capturingLambda(i[0]++))).isZero();
  }

  @Test
  void aMethodReferenceIsNamedFromTheCacheAsTheWalkNamesIt() {
    assertThat(secondSubmissionWalks(sites::methodReference)).isZero();
  }

  @Test
  void anAnonymousClassIsNamedFromTheCacheAsTheWalkNamesIt() {
    assertThat(secondSubmissionWalks(sites::anonymousClass)).isZero();
  }

  @Test
  void aLocalClassIsNamedFromTheCacheAsTheWalkNamesIt() {
    assertThat(secondSubmissionWalks(sites::localClass)).isZero();
  }

  @Test
  void aLambdaSubmittedFromInsideALambdaIsNamedAfterTheEnclosingMethod() {
    assertThat(secondSubmissionWalks(sites::fromInsideALambda)).isZero();
  }

  @Test
  void aNamedClassIsWalkedAtEverySubmission() {
    assertThat(secondSubmissionWalks(sites::namedClassHere)).isPositive();
  }

  @Test
  void twoCallSitesSharingOneNamedClassEachGetTheirOwnName() {
    Named here = sites.namedClassHere();
    Named there = sites.namedClassThere();
    Named hereAgain = sites.namedClassHere();

    assertThat(here.given()).isEqualTo(here.walked()).endsWith(".namedClassHere.named");
    assertThat(there.given()).isEqualTo(there.walked()).endsWith(".namedClassThere.named");
    assertThat(hereAgain.given()).isEqualTo(here.given());
  }

  @Test
  void aLambdaSubmittedFromAnotherClassIsWalkedAtEverySubmission() {
    var task = sites.lambdaForElsewhere();
    Named first = OtherSite.submit(tasks, task);
    long before = Callers.walks();
    Named second = OtherSite.submitAgain(tasks, task);

    assertThat(Callers.walks() - before).isPositive();
    assertThat(first.given()).isEqualTo(first.walked());
    assertThat(second.given()).isEqualTo(second.walked());
  }

  /**
   * The one case the cache cannot tell apart (see {@link Callers}): a lambda held in a field and
   * submitted from two methods of the class that holds it is named after its first submitter.
   */
  @Test
  void aLambdaHeldByItsClassIsNamedAfterTheMethodThatSubmittedItFirst() {
    Named first = sites.heldLambdaHere();
    Named second = sites.heldLambdaThere();

    assertThat(first.given()).isEqualTo(first.walked());
    assertThat(second.given()).isEqualTo(first.given());
  }
}
