package ai.interviewinsights.app.architecture.planted.runnerjar;

/** Runner entry points for the runners' jar rule: one reaches a left-out library through a helper, one does not. */
public final class PlantedRunnerMains {

    private PlantedRunnerMains() {
    }

    /** Reaches micrometer (left out of the runners' jar) two hops away. */
    public static final class Reaching {
        public static void main(String[] args) {
            Helper.count();
        }
    }

    /** Uses only what the runners' jar holds. */
    public static final class Clean {
        public static void main(String[] args) {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode());
        }
    }

    /** The hop between. */
    public static final class Helper {
        static void count() {
            io.micrometer.core.instrument.Metrics.counter("planted").increment();
        }
    }
}
