package ai.interviewinsights.app.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.interviewinsights.app.architecture.planted.clock.PlantedClockReads;
import ai.interviewinsights.app.architecture.planted.runnerjar.PlantedRunnerMains;
import ai.interviewinsights.app.architecture.planted.service.PublicPlantedRunner;
import ai.interviewinsights.app.architecture.planted.service.PublicPlantedService;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The widened architecture rules are not vacuous: each fails on a class planted to break it (the planted classes are
 * compiled into the test classes only, under {@code architecture.planted}, and imported here with
 * {@link ClassFileImporter}), and passes on a planted class that does it the right way. The same rules pass on the
 * real code in {@link ArchitectureTest}.
 */
class PlantedViolationsTest {

    private static final String PLANTED = "ai.interviewinsights.app.architecture.planted";

    private static final ArchRule CLOCK_RULE = ArchitectureTest.noHiddenClockOrDiceIn(PLANTED + ".clock..");
    private static final ArchRule SERVICE_RULE = ArchitectureTest.useCaseImplementationsAreHiddenIn(
            PLANTED + ".service", PLANTED + ".usecase..");
    private static final ArchRule PORTS_RULE = ArchitectureTest.onlyTheComposerTakesTheBundle(PLANTED + ".ports",
            PLANTED + ".ports.PlantedPorts", PLANTED + ".ports.PlantedComposer");

    private static final String RUNNER_SIDE = PLANTED + ".runnerside";
    private static final ArchRule SERVICES_APART_RULE = ArchitectureTest.servicesKnowNothingOf(
            RUNNER_SIDE + ".services", RUNNER_SIDE + ".runner");
    private static final ArchRule RUNNER_THROUGH_FACTORY_RULE = ArchitectureTest.reachesTheServicesOnlyThrough(
            RUNNER_SIDE + ".runner", RUNNER_SIDE + ".services", RUNNER_SIDE + ".services.PlantedServices");

    @Test
    void the_runners_jar_rule_fails_on_a_runner_that_reaches_a_left_out_library_through_another_class() {
        EvaluationResult reaches = ArchitectureTest.reachesNothingLeftOutOfTheRunnersJar(
                PlantedRunnerMains.Reaching.class.getName()).evaluate(planted(PlantedRunnerMains.Reaching.class,
                PlantedRunnerMains.Helper.class));
        assertTrue(reaches.hasViolation());
        assertTrue(reaches.getFailureReport().toString().contains("io.micrometer"),
                reaches.getFailureReport().toString());
        EvaluationResult clean = ArchitectureTest.reachesNothingLeftOutOfTheRunnersJar(
                PlantedRunnerMains.Clean.class.getName()).evaluate(planted(PlantedRunnerMains.Clean.class,
                PlantedRunnerMains.Helper.class));
        assertFalse(clean.hasViolation(), clean.getFailureReport().toString());
    }

    private static JavaClasses planted(Class<?>... types) {
        return new ClassFileImporter().importClasses(types);
    }

    static Stream<Class<?>> clockSins() {
        return Stream.of(PlantedClockReads.SystemUtcClock.class, PlantedClockReads.SystemDefaultZoneClock.class,
                PlantedClockReads.ZonedNow.class, PlantedClockReads.ZonedNowInAZone.class,
                PlantedClockReads.OffsetNow.class, PlantedClockReads.OwnRandom.class,
                PlantedClockReads.OwnSecureRandom.class);
    }

    @ParameterizedTest
    @MethodSource("clockSins")
    void the_clock_rule_fails_on_each_planted_hidden_clock_or_dice(Class<?> sinner) {
        EvaluationResult result = CLOCK_RULE.evaluate(planted(sinner));

        assertTrue(result.hasViolation(), sinner.getSimpleName() + " should break the rule");
        assertTrue(result.getFailureReport().toString().contains(sinner.getSimpleName()),
                result.getFailureReport().toString());
    }

    @Test
    void the_clock_rule_passes_on_an_injected_clock() {
        EvaluationResult result = CLOCK_RULE.evaluate(planted(PlantedClockReads.InjectedClock.class));

        assertFalse(result.hasViolation(), result.getFailureReport().toString());
    }

    @Test
    void the_service_rule_fails_on_a_public_service_and_on_a_public_use_case_implementation() {
        EvaluationResult service = SERVICE_RULE.evaluate(planted(PublicPlantedService.class));
        EvaluationResult runner = SERVICE_RULE.evaluate(planted(PublicPlantedRunner.class));

        assertTrue(service.hasViolation(), "a public ...Service breaks the rule");
        assertTrue(runner.hasViolation(), "a public use-case implementation breaks the rule, whatever its name");
    }

    @Test
    void the_service_rule_passes_on_a_package_private_service() throws ClassNotFoundException {
        Class<?> hidden = Class.forName(PLANTED + ".service.HiddenPlantedService");

        assertFalse(SERVICE_RULE.evaluate(planted(hidden)).hasViolation());
    }

    @Test
    void the_ports_rule_fails_on_a_service_taking_every_port_and_passes_on_one_naming_its_own() throws Exception {
        Class<?> greedy = Class.forName(PLANTED + ".ports.GreedyPlantedService");
        Class<?> narrow = Class.forName(PLANTED + ".ports.NarrowPlantedService");
        Class<?> composer = Class.forName(PLANTED + ".ports.PlantedComposer");
        Class<?> bundle = Class.forName(PLANTED + ".ports.PlantedPorts");

        EvaluationResult taking = PORTS_RULE.evaluate(planted(greedy, bundle));
        assertTrue(taking.hasViolation(), "a service taking the record of every port breaks the rule");
        assertTrue(taking.getFailureReport().toString().contains("GreedyPlantedService"),
                taking.getFailureReport().toString());
        EvaluationResult naming = PORTS_RULE.evaluate(planted(narrow, composer, bundle));
        assertFalse(naming.hasViolation(), naming.getFailureReport().toString());
    }

    @Test
    void the_runner_side_rules_fail_on_a_service_knowing_the_runner_and_a_runner_reaching_around_the_factory()
            throws Exception {
        Class<?> runnerAware = Class.forName(RUNNER_SIDE + ".services.RunnerAwarePlantedService");
        Class<?> greedy = Class.forName(RUNNER_SIDE + ".runner.GreedyPlantedRunner");
        Class<?> runner = Class.forName(RUNNER_SIDE + ".runner.PlantedRunner");
        Class<?> factory = Class.forName(RUNNER_SIDE + ".services.PlantedServices");
        Class<?> worker = Class.forName(RUNNER_SIDE + ".services.PlantedWorker");

        EvaluationResult knowing = SERVICES_APART_RULE.evaluate(planted(runnerAware, runner));
        assertTrue(knowing.getFailureReport().toString().contains("RunnerAwarePlantedService"),
                knowing.getFailureReport().toString());
        assertFalse(SERVICES_APART_RULE.evaluate(planted(factory, worker, runner)).hasViolation());

        EvaluationResult around = RUNNER_THROUGH_FACTORY_RULE.evaluate(planted(greedy, worker));
        assertTrue(around.getFailureReport().toString().contains("GreedyPlantedRunner"),
                around.getFailureReport().toString());
        EvaluationResult through = RUNNER_THROUGH_FACTORY_RULE.evaluate(planted(runner, factory));
        assertFalse(through.hasViolation(), through.getFailureReport().toString());
    }
}
