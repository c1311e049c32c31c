package ai.interviewinsights.app.architecture.planted.usecase;

/** A planted use-case interface for {@code PlantedViolationsTest}. */
public interface PlantedUseCase {

    void run();
}
