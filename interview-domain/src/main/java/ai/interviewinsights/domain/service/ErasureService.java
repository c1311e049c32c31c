package ai.interviewinsights.domain.service;

import ai.interviewinsights.domain.model.DomainException;
import ai.interviewinsights.domain.model.ErrorKind;
import ai.interviewinsights.domain.model.erasure.ErasedRecords;
import ai.interviewinsights.domain.model.erasure.ErasureReceipt;
import ai.interviewinsights.domain.model.erasure.RetentionDue;
import ai.interviewinsights.domain.model.identity.AccessScope;
import ai.interviewinsights.domain.model.identity.CandidateId;
import ai.interviewinsights.domain.model.identity.Principal;
import ai.interviewinsights.domain.model.identity.TenantId;
import ai.interviewinsights.domain.model.recording.VideoId;
import ai.interviewinsights.domain.model.session.InterviewSession;
import ai.interviewinsights.domain.port.in.ApplyRetentionUseCase;
import ai.interviewinsights.domain.port.in.EraseCandidateUseCase;
import ai.interviewinsights.domain.port.in.OffboardTenantUseCase;
import ai.interviewinsights.domain.port.out.CandidateRepository;
import ai.interviewinsights.domain.port.out.PersonalDataEraser;
import ai.interviewinsights.domain.port.out.RecordingGateway;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Erasure, retention and offboarding: the right to erasure made concrete. The order matters. First what lives
 * outside the database: a running interview is hung up and its runner destroyed, and the recordings are deleted at
 * the provider; if a recording cannot be deleted, nothing is erased yet and the caller may retry (a half-done
 * erasure that forgot the video would be worse). Then the store destroys the candidate's data key and deletes the
 * rows in one transaction. Last, the receipt goes to the audit log, which stays.
 */
final class ErasureService implements EraseCandidateUseCase, ApplyRetentionUseCase, OffboardTenantUseCase {

    private static final System.Logger LOG = System.getLogger(ErasureService.class.getName());
    private static final int BATCH = 100;

    private final CandidateRepository candidates;
    private final Optional<RecordingGateway> recording;
    private final Clock clock;
    private final PersonalDataEraser eraser;
    private final Audit audit;
    private final Teardown teardown;

    ErasureService(CandidateRepository candidates, Optional<RecordingGateway> recording, Clock clock,
                   PersonalDataEraser eraser, Audit audit, Teardown teardown) {
        this.candidates = candidates;
        this.recording = recording;
        this.clock = clock;
        this.eraser = eraser;
        this.audit = audit;
        this.teardown = teardown;
    }

    @Override
    public ErasureReceipt erase(Principal admin, CandidateId candidate) {
        Access.requireAdmin(admin);
        AccessScope scope = AccessScope.of(admin);
        if (!exists(scope, candidate)) {
            throw DomainException.notFound("candidate.not_found", "no candidate " + candidate);
        }
        return eraseIn(scope, admin.tenant(), candidate, "request");
    }

    /**
     * Whether the scope sees the candidate. A candidate whose rows came back from a backup after an earlier erasure
     * exists but no longer decrypts: erasing it again must still work.
     */
    private boolean exists(AccessScope scope, CandidateId candidate) {
        try {
            return candidates.find(scope, candidate).isPresent();
        } catch (DomainException e) {
            if (e.code().equals("crypto.undecryptable")) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public ErasureReceipt eraseAsOperator(TenantId tenant, CandidateId candidate, String operator) {
        AccessScope scope = AccessScope.system(operatorJob(operator));
        if (!eraser.candidatesOf(scope, tenant).contains(candidate)) {
            throw DomainException.notFound("candidate.not_found", "no candidate " + candidate + " in tenant " + tenant);
        }
        return eraseIn(scope, tenant, candidate, "operator");
    }

    @Override
    public List<ErasureReceipt> applyRetention() {
        AccessScope scope = AccessScope.system("retention");
        List<ErasureReceipt> receipts = new ArrayList<>();
        for (RetentionDue due : eraser.dueForRetention(scope, clock.instant(), BATCH)) {
            try {
                receipts.add(eraseIn(scope, due.tenant(), due.candidate(), "retention"));
            } catch (DomainException e) {
                LOG.log(Level.WARNING, "retention skipped candidate {0}: {1}", due.candidate(), e.code());
            }
        }
        return receipts;
    }

    @Override
    public void setRetentionDays(TenantId tenant, Optional<Integer> days, String operator) {
        days.ifPresent(d -> {
            if (d < 1 || d > 36500) {
                throw DomainException.invalid("invalid.retention_days", "retention is 1 to 36500 days");
            }
        });
        AccessScope scope = AccessScope.system(operatorJob(operator));
        eraser.setRetentionDays(scope, tenant, days);
        audit.record(scope, tenant, "tenant.retention_set", "tenant:" + tenant,
                Map.of("days", days.map(String::valueOf).orElse("none")));
    }

    @Override
    public List<ErasureReceipt> offboard(TenantId tenant, String operator) {
        AccessScope scope = AccessScope.system(operatorJob(operator));
        List<ErasureReceipt> receipts = new ArrayList<>();
        for (CandidateId candidate : eraser.candidatesOf(scope, tenant)) {
            receipts.add(eraseIn(scope, tenant, candidate, "offboarding"));
        }
        int keys = eraser.destroyTenantKey(scope, tenant);
        audit.record(scope, tenant, "tenant.offboarded", "tenant:" + tenant,
                Map.of("candidates_erased", Integer.toString(receipts.size()), "tenant_keys_destroyed",
                        Integer.toString(keys)));
        return receipts;
    }

    private ErasureReceipt eraseIn(AccessScope scope, TenantId tenant, CandidateId candidate, String trigger) {
        List<InterviewSession> sessions = eraser.sessionsOf(scope, tenant, candidate);
        int runnersStopped = 0;
        for (InterviewSession session : sessions) {
            if (!session.status().isTerminal() && (session.runner().isPresent() || session.callId().isPresent())) {
                teardown.stopEverything(session);
                runnersStopped++;
            }
        }
        int videosDeleted = 0;
        int videosLeft = 0;
        for (InterviewSession session : sessions) {
            // The browser's recording and, for a proxied call, the call's own audio.
            for (VideoId video : session.videos()) {
                if (recording.isEmpty()) {
                    LOG.log(Level.WARNING, "video {0} of session {1} left at the provider: no recording provider is"
                            + " configured", video, session.id());
                    videosLeft++;
                    continue;
                }
                try {
                    recording.get().delete(video);
                    videosDeleted++;
                } catch (RuntimeException e) {
                    throw new DomainException(ErrorKind.UNAVAILABLE, "erasure.recording_delete_failed",
                            "a recording of this candidate could not be deleted at the provider; nothing was erased,"
                                    + " try again", true, e);
                }
            }
        }
        ErasedRecords records = eraser.erase(scope, tenant, candidate);
        String actor = Audit.actorOf(scope);
        ErasureReceipt receipt = new ErasureReceipt(tenant, candidate, trigger, actor, clock.instant(),
                records, videosDeleted, videosLeft, runnersStopped);
        audit.record(scope, tenant, "candidate.erased", "candidate:" + candidate, receipt.auditDetails());
        return receipt;
    }

    private static String operatorJob(String operator) {
        String name = operator == null || operator.isBlank() ? "unknown" : operator.strip();
        return "operator:" + (name.length() > 100 ? name.substring(0, 100) : name);
    }
}
