package ai.interviewinsights.app.architecture.planted.service;

/** Planted: a public class named {@code ...Service}. Must fail. */
public final class PublicPlantedService {
}
