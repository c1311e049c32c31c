-- Erasing a candidate (V20) must take their consent records (V5) with their sessions: a consent row names the
-- session and is otherwise append-only. Only an erasure may delete one: the eraser marks its own transaction with
-- interview.erasing = 'on' (set_config(..., true), so the mark ends with the transaction); everything else is
-- still refused, updates always. The audit log keeps the consent line and the erasure receipt. Re-runnable.

create or replace function interview.refuse_consent_change() returns trigger
    language plpgsql
    set search_path to ''
as $func$
begin
    if tg_op = 'DELETE' and coalesce(current_setting('interview.erasing', true), '') = 'on' then
        return old;
    end if;
    raise exception 'consent records are append-only' using errcode = '42501';
end
$func$;

drop trigger if exists consents_append_only on interview.consents;
create trigger consents_append_only
    before update or delete on interview.consents
    for each row execute function interview.refuse_consent_change();

grant delete on interview.consents to authenticated, service_role;

drop policy if exists consents_erase on interview.consents;
create policy consents_erase on interview.consents for delete to authenticated
    using (tenant_id = (select (auth.jwt() -> 'app_metadata' ->> 'tenant_id')::uuid)
           and (select auth.jwt() -> 'app_metadata' ->> 'tenant_role') = 'admin');
