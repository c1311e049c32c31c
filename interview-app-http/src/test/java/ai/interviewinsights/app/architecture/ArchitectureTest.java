package ai.interviewinsights.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * The hexagon, kept honest. Runs in the app module because it is the only one that sees every class. Every rule
 * fails when its subject is empty (archunit.properties), so a renamed package cannot make a rule pass vacuously.
 */
@AnalyzeClasses(packages = "ai.interviewinsights",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.ProductionClassesOnly.class})
class ArchitectureTest {

    /** Leaves out test classes that reach the class path as test-jars (the domain's fakes and contracts). */
    static final class ProductionClassesOnly implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar") && !location.contains("/test-classes/");
        }
    }

    private static final String DOMAIN = "ai.interviewinsights.domain..";
    private static final String[] ADAPTERS = {"openai", "flyio", "supabase", "apivideo"};

    @ArchTest
    static final ArchRule the_domain_depends_only_on_the_jdk_and_itself = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN);

    @ArchTest
    static final ArchRule ports_do_not_depend_on_services = noClasses()
            .that().resideInAPackage("ai.interviewinsights.domain.port..")
            .should().dependOnClassesThat().resideInAPackage("ai.interviewinsights.domain.service..");

    @ArchTest
    static final ArchRule the_model_depends_on_neither_ports_nor_services = noClasses()
            .that().resideInAPackage("ai.interviewinsights.domain.model..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.interviewinsights.domain.port..",
                    "ai.interviewinsights.domain.service..");

    @ArchTest
    static final ArchRule adapters_depend_on_no_other_adapter_and_not_on_the_app = adaptersAreIsolated();

    private static ArchRule adaptersAreIsolated() {
        ArchRule rule = null;
        for (String adapter : ADAPTERS) {
            String[] forbidden = java.util.stream.Stream.concat(
                    java.util.Arrays.stream(ADAPTERS).filter(a -> !a.equals(adapter))
                            .map(a -> "ai.interviewinsights.adapters." + a + ".."),
                    java.util.stream.Stream.of("ai.interviewinsights.app..")).toArray(String[]::new);
            ArchRule one = noClasses().that().resideInAPackage("ai.interviewinsights.adapters." + adapter + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as("the " + adapter + " adapter depends on no other adapter and not on the app");
            rule = rule == null ? one : com.tngtech.archunit.lang.CompositeArchRule.of(rule).and(one);
        }
        return rule;
    }

    /** The runner's client of the control plane: on the runner's one HTTP stack, OkHttp (decision 0017). */
    private static final String RUNNER_CONTROL_PLANE_CLIENT = "ai.interviewinsights.app.runner.controlplane.HttpControlPlane";

    private static final String STANDBY_REHEARSAL = "ai.interviewinsights.app.runner.StandbyRehearsal";

    @ArchTest
    static final ArchRule okhttp_only_in_the_http_client_adapters = noClasses()
            .that().resideOutsideOfPackages("ai.interviewinsights.adapters.openai..",
                    "ai.interviewinsights.adapters.flyio..", "ai.interviewinsights.adapters.apivideo..")
            .and().doNotHaveFullyQualifiedName(RUNNER_CONTROL_PLANE_CLIENT)
            .and().doNotHaveFullyQualifiedName(RUNNER_CONTROL_PLANE_CLIENT + "$Reply")
            .and().haveNameNotMatching(STANDBY_REHEARSAL.replace(".", "\\.") + "(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "okio..")
            .because("the app speaks HTTP through the adapters; the exceptions are the runner's control-plane"
                    + " client and a standby's rehearsal against its own server, which share the runner's one HTTP"
                    + " stack (decision 0017)");

    /** What a runner process can reach, whatever its mode (a session's runner or a standby): no second HTTP stack. */
    @ArchTest
    static final ArchRule nothing_a_runner_reaches_uses_a_second_http_stack = noClasses()
            .that().haveFullyQualifiedName("ai.interviewinsights.app.RunnerMain")
            .should().transitivelyDependOnClassesThat().resideInAPackage("java.net.http..")
            .because("a runner loads one HTTP stack, OkHttp (decision 0017): a class on its path that used the JDK's"
                    + " client would start its selector thread in every runner that met it (a standby's rehearsal did"
                    + " until the fifteenth round)");

    @ArchTest
    static final ArchRule the_runner_has_one_http_stack = noClasses()
            .that().resideInAnyPackage("ai.interviewinsights.app.runner..", "ai.interviewinsights.adapters.openai..")
            .should().dependOnClassesThat().resideInAPackage("java.net.http..")
            .because("a runner loads one HTTP stack, OkHttp, and keeps no java.net.http selector thread"
                    + " (decision 0017)");

    private static final String LOCAL_ENDPOINT = "ai.interviewinsights.adapters.openai.local..";

    private static final String PROXY_BRIDGE = "ai.interviewinsights.adapters.openai.proxy..";

    private static final String WEBRTC_ENGINE = "ai.interviewinsights.adapters.openai.webrtc..";

    @ArchTest
    static final ArchRule webrtc_only_in_the_one_engine = noClasses()
            .that().resideOutsideOfPackage(WEBRTC_ENGINE)
            .should().dependOnClassesThat().resideInAPackage("dev.onvoid.webrtc..")
            .because("native WebRTC (one factory per process, strict dispose order, native calls that can block)"
                    + " stays behind the one engine that the local endpoint and the proxy bridge share");

    @ArchTest
    static final ArchRule the_webrtc_engine_knows_neither_of_its_users = noClasses()
            .that().resideInAPackage(WEBRTC_ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage(LOCAL_ENDPOINT, PROXY_BRIDGE,
                    "ai.interviewinsights.adapters.openai")
            .because("the engine is media plumbing: what a call means stays with the local endpoint and the bridge");

    @ArchTest
    static final ArchRule the_proxy_bridge_and_the_local_endpoint_meet_only_on_the_wire = noClasses()
            .that().resideInAPackage(PROXY_BRIDGE)
            .should().dependOnClassesThat().resideInAPackage(LOCAL_ENDPOINT)
            .because("the bridge talks to OpenAI (or the local endpoint) over the Realtime WebSocket only");

    @ArchTest
    static final ArchRule http_servers_only_in_the_app_and_the_local_realtime_endpoint = noClasses()
            .that().resideOutsideOfPackages("ai.interviewinsights.app..", LOCAL_ENDPOINT)
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..");

    @ArchTest
    static final ArchRule the_local_endpoint_is_reached_only_over_the_wire_by_the_openai_adapter = noClasses()
            .that().resideInAPackage("ai.interviewinsights.adapters.openai")
            .should().dependOnClassesThat().resideInAPackage(LOCAL_ENDPOINT)
            .because("the production adapter must be exactly the code path the local endpoint tests (OPENAI_BASE_URL)");

    @ArchTest
    static final ArchRule the_local_endpoint_does_not_borrow_the_production_adapter = noClasses()
            .that().resideInAPackage(LOCAL_ENDPOINT)
            .should().dependOnClassesThat().resideInAPackage("ai.interviewinsights.adapters.openai")
            .because("it speaks OpenAI's wire protocol itself; sharing the adapter's code would hide wire mistakes");

    @ArchTest
    static final ArchRule databases_only_in_the_supabase_adapter = noClasses()
            .that().resideOutsideOfPackage("ai.interviewinsights.adapters.supabase..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "org.postgresql..", "java.sql..",
                    "javax.sql..", "org.flywaydb..", "com.zaxxer.hikari..");

    @ArchTest
    static final ArchRule jackson_only_in_adapters_and_the_app = noClasses()
            .that().resideOutsideOfPackages("ai.interviewinsights.adapters..", "ai.interviewinsights.app..")
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule no_package_cycles = slices().matching("ai.interviewinsights.(**)").should().beFreeOfCycles();

    private static final Set<String> CLOCK_READING_TYPES = Set.of(Instant.class.getName(),
            LocalDateTime.class.getName(), LocalDate.class.getName(), LocalTime.class.getName(),
            ZonedDateTime.class.getName(), OffsetDateTime.class.getName(), OffsetTime.class.getName(),
            Year.class.getName(), YearMonth.class.getName(), MonthDay.class.getName());

    // declared before the rules that use them: static fields initialise in order
    static final DescribedPredicate<JavaCall<?>> HIDDEN_CLOCK_OR_DICE =
            new DescribedPredicate<>("a hidden clock or hidden randomness") {
                @Override
                public boolean test(JavaCall<?> call) {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    boolean takesAClock = call.getTarget().getRawParameterTypes().stream()
                            .anyMatch(type -> type.isEquivalentTo(Clock.class));
                    if (CLOCK_READING_TYPES.contains(owner)) {
                        return name.equals("now") && !takesAClock;
                    }
                    return switch (owner) {
                        case "java.time.Clock" -> name.equals("systemUTC") || name.equals("systemDefaultZone");
                        case "java.lang.System" -> name.equals("currentTimeMillis") || name.equals("nanoTime");
                        case "java.util.UUID" -> name.equals("randomUUID");
                        case "java.util.Random", "java.security.SecureRandom" -> name.equals("<init>");
                        case "java.util.concurrent.ThreadLocalRandom" -> name.equals("current");
                        case "java.lang.Math", "java.lang.StrictMath" -> name.equals("random");
                        default -> false;
                    };
                }
            };

    @ArchTest
    static final ArchRule the_domain_never_reads_the_clock_or_rolls_dice = noHiddenClockOrDiceIn(DOMAIN);

    /**
     * No class in {@code packages} reads the system clock or makes its own randomness: no {@code now()} without a
     * {@code Clock} on any {@code java.time} type, no {@code Clock.systemUTC/systemDefaultZone}, no
     * {@code System.currentTimeMillis/nanoTime}, no {@code UUID.randomUUID}, no {@code new Random/SecureRandom},
     * {@code ThreadLocalRandom} or {@code Math.random}. A method, so that {@code PlantedViolationsTest} can show it
     * failing on planted classes.
     */
    static ArchRule noHiddenClockOrDiceIn(String packages) {
        return noClasses().that().resideInAPackage(packages)
                .should().callCodeUnitWhere(HIDDEN_CLOCK_OR_DICE)
                .because("time and randomness are injected (Clock, IdGenerator) so the domain stays deterministic");
    }

    @ArchTest
    static final ArchRule use_cases_are_interfaces_named_use_case = classes()
            .that().resideInAPackage("ai.interviewinsights.domain.port.in").and().haveSimpleNameEndingWith("UseCase")
            .should().beInterfaces();

    @ArchTest
    static final ArchRule services_are_reached_through_the_public_factory = useCaseImplementationsAreHiddenIn(
            "ai.interviewinsights.domain.service", "ai.interviewinsights.domain.port.in..");

    @ArchTest
    static final ArchRule the_services_know_nothing_of_the_runner = servicesKnowNothingOf(
            "ai.interviewinsights.domain.service", "ai.interviewinsights.domain.runner");

    @ArchTest
    static final ArchRule the_runner_reaches_the_services_through_the_public_factory = reachesTheServicesOnlyThrough(
            "ai.interviewinsights.domain.runner", "ai.interviewinsights.domain.service",
            "ai.interviewinsights.domain.service.InterviewServices");

    /** No class of {@code servicePackage} depends on {@code runnerPackage}: the runner uses the services, not back. */
    static ArchRule servicesKnowNothingOf(String servicePackage, String runnerPackage) {
        return noClasses().that().resideInAPackage(servicePackage + "..")
                .should().dependOnClassesThat().resideInAPackage(runnerPackage + "..")
                .because("the runner's side of an interview (InterviewRunner, InProcessControlPlane) uses the control"
                        + " plane's use cases, never the other way round (issue 15, item 2)");
    }

    /** {@code runnerPackage} reaches {@code servicePackage} only through {@code factory}, as an embedder does. */
    static ArchRule reachesTheServicesOnlyThrough(String runnerPackage, String servicePackage, String factory) {
        return noClasses().that().resideInAPackage(runnerPackage + "..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage(servicePackage + "..")
                        .and(DescribedPredicate.not(HasName.Predicates.name(factory))))
                .because("the runner's side calls the control plane's use cases as any embedder does");
    }

    @ArchTest
    static final ArchRule the_two_api_contracts_share_no_record = noClasses()
            .that().haveNameMatching("ai\\.interviewinsights\\.app\\..*\\.RunnerApi(\\$.*)?")
            .should().dependOnClassesThat().haveNameMatching("ai\\.interviewinsights\\.app\\..*\\.PublicApi(\\$.*)?")
            .because("the public API and the runner's internal API change apart (issue 15, item 4)")
            .as("the runner's internal API shares no record with the public API");

    @ArchTest
    static final ArchRule the_public_api_does_not_use_the_runners = noClasses()
            .that().haveNameMatching("ai\\.interviewinsights\\.app\\..*\\.PublicApi(\\$.*)?")
            .should().dependOnClassesThat().haveNameMatching("ai\\.interviewinsights\\.app\\..*\\.RunnerApi(\\$.*)?");

    @ArchTest
    static final ArchRule the_runner_knows_nothing_of_the_public_api = noClasses()
            .that().resideInAPackage("ai.interviewinsights.app.runner..")
            .should().dependOnClassesThat().haveNameMatching("ai\\.interviewinsights\\.app\\..*\\.PublicApi(\\$.*)?");

    /**
     * What the runners' jar leaves out (interview-app-http/pom.xml, the shade execution {@code runner}): the
     * libraries and adapters only the control plane loads. Their packages, by artifact; {@code
     * RunnersJarExclusionsTest} holds that every class of every artifact excluded there is in one of them.
     */
    static final String[] LEFT_OUT_OF_THE_RUNNERS_JAR = {
        "ai.interviewinsights.adapters.supabase..", "ai.interviewinsights.adapters.flyio..",
        "org.postgresql..", "org.checkerframework..", "org.jdbi..", "io.leangen.geantyref..", "com.zaxxer..",
        "org.flywaydb..", "io.zonky..", "org.apache.commons..", "org.tukaani..", "com.auth0.jwk..", "com.google..",
        "javax.annotation..", "io.micrometer..", "io.prometheus..", "org.HdrHistogram..", "org.LatencyUtils..",
        "io.javalin..", "org.eclipse.jetty.ee10..", "org.eclipse.jetty.ee..", "org.eclipse.jetty.security..",
        "org.eclipse.jetty.session..", "org.eclipse.jetty.annotations..", "org.eclipse.jetty.plus..",
        "org.eclipse.jetty.jndi..", "org.eclipse.jetty.xml..", "jakarta.servlet..", "jakarta.annotation..",
        "jakarta.enterprise..", "jakarta.inject..", "jakarta.interceptor..", "jakarta.transaction..",
        "jakarta.decorator..", "org.objectweb.asm.."};

    @ArchTest
    static final ArchRule a_runner_needs_nothing_its_jar_leaves_out =
            reachesNothingLeftOutOfTheRunnersJar("ai.interviewinsights.app.RunnerMain");

    /** Nothing reachable from {@code entryPoint} (a main class) is in a package the runners' jar leaves out. */
    static ArchRule reachesNothingLeftOutOfTheRunnersJar(String entryPoint) {
        return noClasses().that().haveFullyQualifiedName(entryPoint)
                .should().transitivelyDependOnClassesThat().resideInAnyPackage(LEFT_OUT_OF_THE_RUNNERS_JAR)
                .because("runners start from interview-runner.jar, which holds none of these (RunnerMain, ADR 0024):"
                        + " a runner that reached one would fail with NoClassDefFoundError where it first touched it");
    }

    @ArchTest
    static final ArchRule services_name_the_ports_they_use = onlyTheComposerTakesTheBundle(
            "ai.interviewinsights.domain.service", "ai.interviewinsights.domain.service.InterviewPorts",
            "ai.interviewinsights.domain.service.InterviewServices");

    /**
     * Only {@code composer} touches {@code bundle} (the record of every driven port): each service of
     * {@code servicePackage} is built with exactly the ports it uses, so its constructor says what it depends on.
     */
    static ArchRule onlyTheComposerTakesTheBundle(String servicePackage, String bundle, String composer) {
        return noClasses().that().resideInAPackage(servicePackage)
                .and().doNotHaveFullyQualifiedName(composer).and().doNotHaveFullyQualifiedName(bundle)
                .should().dependOnClassesThat().haveFullyQualifiedName(bundle)
                .because("a service takes the ports it uses, not the record of all of them (issue 15, item 2)");
    }

    /**
     * Every class of {@code servicePackage} that implements a use case of {@code useCasePackages}, or is named
     * {@code ...Service}, is package-private: callers reach use cases through {@code InterviewServices}.
     *
     * <p>The real rule names no exception: {@code InterviewRunner}, which the runner mode constructs itself (one per
     * process, with the session's own control-plane client and realtime gateway), lives in {@code domain.runner}.
     */
    static ArchRule useCaseImplementationsAreHiddenIn(String servicePackage, String useCasePackages,
                                                      Class<?>... publicByNecessity) {
        Set<String> exceptions = java.util.Arrays.stream(publicByNecessity).map(Class::getName)
                .collect(java.util.stream.Collectors.toSet());
        DescribedPredicate<JavaClass> implementsAUseCase = new DescribedPredicate<>("implement a use case") {
            @Override
            public boolean test(JavaClass type) {
                return type.getAllRawInterfaces().stream()
                        .anyMatch(i -> i.getPackage().getName().startsWith(useCasePackages.replace("..", "")));
            }
        };
        DescribedPredicate<JavaClass> named = new DescribedPredicate<>("are named ...Service") {
            @Override
            public boolean test(JavaClass type) {
                return type.getSimpleName().endsWith("Service");
            }
        };
        DescribedPredicate<JavaClass> excepted = new DescribedPredicate<>("public by necessity " + exceptions) {
            @Override
            public boolean test(JavaClass type) {
                return exceptions.contains(type.getName());
            }
        };
        return classes().that().resideInAPackage(servicePackage)
                .and(implementsAUseCase.or(named)).and(DescribedPredicate.not(excepted))
                .should().notBePublic()
                .because("use cases are reached through InterviewServices, so a service names what it implements and"
                        + " nothing else can call around it");
    }
}
