CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "audit_log" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_audit_log" PRIMARY KEY AUTOINCREMENT,
    "AggregateType" TEXT NOT NULL,
    "AggregateId" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "OccurredAt" INTEGER NOT NULL,
    "Summary" TEXT NOT NULL,
    "Data" TEXT NOT NULL
);

CREATE TABLE "idempotency_keys" (
    "Key" TEXT NOT NULL CONSTRAINT "PK_idempotency_keys" PRIMARY KEY,
    "RequestHash" TEXT NOT NULL,
    "StatusCode" INTEGER NOT NULL,
    "ResponseBody" TEXT NOT NULL,
    "Location" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "partners" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_partners" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Tier" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "ChannelManagerId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "territories" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "registrations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_registrations" PRIMARY KEY,
    "PartnerId" TEXT NOT NULL,
    "RegisteredBy" TEXT NOT NULL,
    "customer_name" TEXT NOT NULL,
    "customer_domain" TEXT NULL,
    "customer_registrable_domain" TEXT NULL,
    "customer_country" TEXT NOT NULL,
    "customer_duns" TEXT NULL,
    "value_amount" TEXT NOT NULL,
    "value_currency" TEXT NOT NULL,
    "ExpectedCloseDate" TEXT NOT NULL,
    "Notes" TEXT NULL,
    "Status" TEXT NOT NULL,
    "RulesVersion" INTEGER NULL,
    "Tier" TEXT NULL,
    "ReviewerId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "SubmittedAt" INTEGER NULL,
    "ReviewDueAt" INTEGER NULL,
    "DecidedAt" INTEGER NULL,
    "ProtectionEndsAt" INTEGER NULL,
    "ExtensionsUsed" INTEGER NOT NULL,
    "RejectionReason" TEXT NULL,
    "LossReason" TEXT NULL,
    "ReviewerMessage" TEXT NULL,
    "ClosedAt" INTEGER NULL,
    "duplicate" TEXT NOT NULL,
    "AutoApproved" INTEGER NOT NULL,
    "product_lines" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "rules_versions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_rules_versions" PRIMARY KEY,
    "Number" INTEGER NOT NULL,
    "IsActive" INTEGER NOT NULL,
    "Currency" TEXT NOT NULL,
    "LikelyDuplicateThreshold" REAL NOT NULL,
    "PossibleDuplicateThreshold" REAL NOT NULL,
    "DirectLookbackDays" INTEGER NOT NULL,
    "ConflictSlaHours" INTEGER NOT NULL,
    "ReferralAcceptSlaHours" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "tiers" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "users" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_users" PRIMARY KEY,
    "UserName" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "PartnerId" TEXT NULL,
    "IsActive" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE INDEX "IX_audit_log_AggregateType_AggregateId_Id" ON "audit_log" ("AggregateType", "AggregateId", "Id");

CREATE INDEX "IX_idempotency_keys_CreatedAt" ON "idempotency_keys" ("CreatedAt");

CREATE INDEX "IX_partners_Name" ON "partners" ("Name");

CREATE INDEX "IX_registrations_CreatedAt" ON "registrations" ("CreatedAt");

CREATE INDEX "IX_registrations_customer_duns" ON "registrations" ("customer_duns");

CREATE INDEX "IX_registrations_customer_registrable_domain" ON "registrations" ("customer_registrable_domain");

CREATE INDEX "IX_registrations_PartnerId_CreatedAt" ON "registrations" ("PartnerId", "CreatedAt");

CREATE INDEX "IX_registrations_Status_ProtectionEndsAt" ON "registrations" ("Status", "ProtectionEndsAt");

CREATE INDEX "IX_registrations_Status_ReviewDueAt" ON "registrations" ("Status", "ReviewDueAt");

CREATE UNIQUE INDEX "IX_rules_versions_Number" ON "rules_versions" ("Number");

CREATE UNIQUE INDEX "IX_users_UserName" ON "users" ("UserName");

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125164332_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "conflicts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_conflicts" PRIMARY KEY,
    "CustomerName" TEXT NOT NULL,
    "CustomerKey" TEXT NOT NULL,
    "Country" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "RulesVersion" INTEGER NOT NULL,
    "RuleFired" TEXT NOT NULL,
    "RuleExplanation" TEXT NOT NULL,
    "RecommendedClaimId" TEXT NULL,
    "Recommendation" TEXT NOT NULL,
    "ArbiterId" TEXT NULL,
    "SlaDueAt" INTEGER NOT NULL,
    "EscalatedAt" INTEGER NULL,
    "OpenedAt" INTEGER NOT NULL,
    "OpenedBy" TEXT NOT NULL,
    "DecidedAt" INTEGER NULL,
    "Decision" TEXT NULL,
    "AwardedClaimId" TEXT NULL,
    "Rationale" TEXT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "conflict_claims" (
    "RowId" INTEGER NOT NULL CONSTRAINT "PK_conflict_claims" PRIMARY KEY AUTOINCREMENT,
    "ClaimId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "PartnerId" TEXT NULL,
    "OwnerUserId" TEXT NULL,
    "ClaimedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "JoinedAt" INTEGER NOT NULL,
    "ConflictId" TEXT NOT NULL,
    CONSTRAINT "FK_conflict_claims_conflicts_ConflictId" FOREIGN KEY ("ConflictId") REFERENCES "conflicts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "conflict_decision_log" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_conflict_decision_log" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Text" TEXT NOT NULL,
    "Decision" TEXT NULL,
    "AwardedClaimId" TEXT NULL,
    "ConflictId" TEXT NOT NULL,
    CONSTRAINT "FK_conflict_decision_log_conflicts_ConflictId" FOREIGN KEY ("ConflictId") REFERENCES "conflicts" ("Id") ON DELETE CASCADE
);

CREATE TABLE "conflict_statements" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_conflict_statements" PRIMARY KEY,
    "ClaimId" TEXT NOT NULL,
    "AuthorId" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "ConflictId" TEXT NOT NULL,
    "links" TEXT NOT NULL,
    CONSTRAINT "FK_conflict_statements_conflicts_ConflictId" FOREIGN KEY ("ConflictId") REFERENCES "conflicts" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_conflict_claims_ClaimId" ON "conflict_claims" ("ClaimId");

CREATE INDEX "IX_conflict_claims_ConflictId" ON "conflict_claims" ("ConflictId");

CREATE INDEX "IX_conflict_claims_PartnerId" ON "conflict_claims" ("PartnerId");

CREATE INDEX "IX_conflict_decision_log_ConflictId" ON "conflict_decision_log" ("ConflictId");

CREATE INDEX "IX_conflict_statements_ConflictId" ON "conflict_statements" ("ConflictId");

CREATE INDEX "IX_conflicts_ArbiterId_Status_SlaDueAt" ON "conflicts" ("ArbiterId", "Status", "SlaDueAt");

CREATE INDEX "IX_conflicts_DecidedAt" ON "conflicts" ("DecidedAt");

CREATE INDEX "IX_conflicts_OpenedAt" ON "conflicts" ("OpenedAt");

CREATE INDEX "IX_conflicts_Status_SlaDueAt" ON "conflicts" ("Status", "SlaDueAt");

CREATE TRIGGER conflict_decision_log_no_update BEFORE UPDATE ON conflict_decision_log BEGIN SELECT RAISE(ABORT, 'conflict_decision_log is append-only'); END;

CREATE TRIGGER conflict_decision_log_no_delete BEFORE DELETE ON conflict_decision_log BEGIN SELECT RAISE(ABORT, 'conflict_decision_log is append-only'); END;

CREATE TRIGGER conflict_statements_no_update BEFORE UPDATE ON conflict_statements BEGIN SELECT RAISE(ABORT, 'conflict_statements is append-only'); END;

CREATE TRIGGER conflict_statements_no_delete BEFORE DELETE ON conflict_statements BEGIN SELECT RAISE(ABORT, 'conflict_statements is append-only'); END;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125173944_Conflicts', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "registrations" ADD "SourceReferralId" TEXT NULL;

ALTER TABLE "audit_log" ADD "Audience" TEXT NULL;

CREATE TABLE "opportunities" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_opportunities" PRIMARY KEY,
    "customer_name" TEXT NOT NULL,
    "customer_domain" TEXT NULL,
    "customer_registrable_domain" TEXT NULL,
    "customer_country" TEXT NOT NULL,
    "customer_duns" TEXT NULL,
    "contact_name" TEXT NULL,
    "contact_email" TEXT NULL,
    "contact_phone" TEXT NULL,
    "Stage" TEXT NOT NULL,
    "amount_amount" TEXT NOT NULL,
    "amount_currency" TEXT NOT NULL,
    "CloseDate" TEXT NOT NULL,
    "NextStep" TEXT NULL,
    "OwnerId" TEXT NOT NULL,
    "source_kind" TEXT NOT NULL,
    "source_id" TEXT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "ClosedAt" INTEGER NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "referrals" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_referrals" PRIMARY KEY,
    "Direction" TEXT NOT NULL,
    "PartnerId" TEXT NOT NULL,
    "SentBy" TEXT NOT NULL,
    "VendorUserId" TEXT NULL,
    "customer_name" TEXT NOT NULL,
    "customer_domain" TEXT NULL,
    "customer_registrable_domain" TEXT NULL,
    "customer_country" TEXT NOT NULL,
    "customer_duns" TEXT NULL,
    "contact_name" TEXT NOT NULL,
    "contact_email" TEXT NULL,
    "contact_phone" TEXT NULL,
    "value_amount" TEXT NULL,
    "value_currency" TEXT NULL,
    "Message" TEXT NULL,
    "Status" TEXT NOT NULL,
    "RulesVersion" INTEGER NOT NULL,
    "AcceptBy" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "RespondedAt" INTEGER NULL,
    "RespondedBy" TEXT NULL,
    "DeclineReason" TEXT NULL,
    "DeclineComment" TEXT NULL,
    "ConvertedTo" TEXT NULL,
    "ConvertedId" TEXT NULL,
    "product_lines" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "opportunity_participants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_opportunity_participants" PRIMARY KEY,
    "OpportunityId" TEXT NOT NULL,
    "PartnerId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "InvitedBy" TEXT NOT NULL,
    "InvitedAt" INTEGER NOT NULL,
    "RespondBy" INTEGER NULL,
    "RespondedAt" INTEGER NULL,
    "Message" TEXT NULL,
    "RejectionReason" TEXT NULL,
    CONSTRAINT "FK_opportunity_participants_opportunities_OpportunityId" FOREIGN KEY ("OpportunityId") REFERENCES "opportunities" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_opportunities_CreatedAt" ON "opportunities" ("CreatedAt");

CREATE INDEX "IX_opportunities_customer_duns" ON "opportunities" ("customer_duns");

CREATE INDEX "IX_opportunities_customer_registrable_domain" ON "opportunities" ("customer_registrable_domain");

CREATE INDEX "IX_opportunities_OwnerId_CreatedAt" ON "opportunities" ("OwnerId", "CreatedAt");

CREATE INDEX "IX_opportunities_source_kind_source_id" ON "opportunities" ("source_kind", "source_id");

CREATE INDEX "IX_opportunity_participants_OpportunityId" ON "opportunity_participants" ("OpportunityId");

CREATE INDEX "IX_opportunity_participants_PartnerId_Status" ON "opportunity_participants" ("PartnerId", "Status");

CREATE INDEX "IX_opportunity_participants_Status_RespondBy" ON "opportunity_participants" ("Status", "RespondBy");

CREATE INDEX "IX_referrals_CreatedAt" ON "referrals" ("CreatedAt");

CREATE INDEX "IX_referrals_customer_duns" ON "referrals" ("customer_duns");

CREATE INDEX "IX_referrals_customer_registrable_domain" ON "referrals" ("customer_registrable_domain");

CREATE INDEX "IX_referrals_PartnerId_CreatedAt" ON "referrals" ("PartnerId", "CreatedAt");

CREATE INDEX "IX_referrals_Status_AcceptBy" ON "referrals" ("Status", "AcceptBy");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125174533_Opportunities', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "account_lists" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_account_lists" PRIMARY KEY,
    "Owner" TEXT NOT NULL,
    "Population" TEXT NOT NULL,
    "RowCount" INTEGER NOT NULL,
    "PrivateCount" INTEGER NOT NULL,
    "RejectedCount" INTEGER NOT NULL,
    "UploadedAt" INTEGER NOT NULL,
    "UploadedBy" TEXT NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "account_mapping_state" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_account_mapping_state" PRIMARY KEY,
    "KeyFingerprint" TEXT NOT NULL,
    "KeyedAt" INTEGER NOT NULL
);

CREATE TABLE "account_rows" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_account_rows" PRIMARY KEY AUTOINCREMENT,
    "list_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT NULL,
    "country" TEXT NOT NULL,
    "duns" TEXT NULL,
    "private" INTEGER NOT NULL,
    "domain_token" BLOB NULL,
    "duns_token" BLOB NULL,
    "name_token" BLOB NULL
);

CREATE TABLE "partnerships" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_partnerships" PRIMARY KEY,
    "PartnerId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "VendorOptedInAt" INTEGER NULL,
    "VendorOptedInBy" TEXT NULL,
    "PartnerOptedInAt" INTEGER NULL,
    "PartnerOptedInBy" TEXT NULL,
    "PausedByVendor" INTEGER NOT NULL,
    "PausedByPartner" INTEGER NOT NULL,
    "vendor_sharing" TEXT NOT NULL,
    "partner_sharing" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "IX_account_lists_Owner_Population" ON "account_lists" ("Owner", "Population");

CREATE INDEX "IX_account_rows_list_id_id" ON "account_rows" ("list_id", "id");

CREATE UNIQUE INDEX "IX_partnerships_PartnerId" ON "partnerships" ("PartnerId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125180502_AccountMapping', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE UNIQUE INDEX "UX_opportunities_registration_source" ON "opportunities" ("source_id") WHERE source_kind = 'Registration';

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125224104_OneOpportunityPerRegistration', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "idempotency_keys" ADD "ETag" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261125233442_IdempotentReplayETag', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "conflict_claims" ADD "CustomerName" TEXT NULL;

UPDATE "conflict_claims" SET "CustomerName" = COALESCE(
    (SELECT "customer_name" FROM "registrations" WHERE "registrations"."Id" = "conflict_claims"."ClaimId"),
    (SELECT "customer_name" FROM "opportunities" WHERE "opportunities"."Id" = "conflict_claims"."ClaimId"));

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126034839_ClaimCustomerNames', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "conflict_claims" ADD "Invited" INTEGER NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126125000_ConflictClaimInvited', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "audit_log" ADD "ActorPartnerId" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126134734_AuditActorPartner', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
INSERT INTO "audit_log" ("AggregateType", "AggregateId", "Type", "Actor", "ActorPartnerId", "OccurredAt", "Summary", "Audience", "Data")
SELECT 'user', "Id", 'user.renamed', 'system', NULL, "At", "Summary", NULL,
       json_object('userId', lower("Id"), 'type', 'user.renamed', 'summary', "Summary", 'actor', 'system', 'occurredAt', "AtText")
FROM (
    SELECT "Id",
           CAST(unixepoch('subsec') * 1000 AS INTEGER) * 10000 + 621355968000000000 AS "At",
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS "AtText",
           'User ''' || "UserName" || ''' renamed to ''' || substr("UserName", 1, 63) || '+' || lower("Id")
               || ''': an earlier user has the same name, and user names are unique in any case.' AS "Summary"
    FROM "users"
    WHERE EXISTS (
        SELECT 1 FROM "users" AS "earlier"
        WHERE "earlier"."UserName" = "users"."UserName" COLLATE NOCASE AND "earlier"."rowid" < "users"."rowid"));

UPDATE "users"
SET "UserName" = substr("UserName", 1, 63) || '+' || lower("Id"), "Version" = "Version" + 1
WHERE EXISTS (
    SELECT 1 FROM "users" AS "earlier"
    WHERE "earlier"."UserName" = "users"."UserName" COLLATE NOCASE AND "earlier"."rowid" < "users"."rowid");

CREATE TABLE "ef_temp_users" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_users" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "IsActive" INTEGER NOT NULL,
    "PartnerId" TEXT NULL,
    "Role" TEXT NOT NULL,
    "UserName" TEXT COLLATE NOCASE NOT NULL,
    "Version" INTEGER NOT NULL
);

INSERT INTO "ef_temp_users" ("Id", "DisplayName", "IsActive", "PartnerId", "Role", "UserName", "Version")
SELECT "Id", "DisplayName", "IsActive", "PartnerId", "Role", "UserName", "Version"
FROM "users";

COMMIT;

PRAGMA foreign_keys = 0;

BEGIN TRANSACTION;
DROP TABLE "users";

ALTER TABLE "ef_temp_users" RENAME TO "users";

COMMIT;

PRAGMA foreign_keys = 1;

BEGIN TRANSACTION;
CREATE UNIQUE INDEX "IX_users_UserName" ON "users" ("UserName");

COMMIT;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126150740_UserNameAnyCase', '10.0.15');

BEGIN TRANSACTION;
ALTER TABLE "users" ADD "Subject" TEXT NULL;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126155811_UserSubject', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "IX_registrations_customer_duns";

DROP INDEX "IX_registrations_customer_registrable_domain";

DROP INDEX "IX_referrals_customer_duns";

DROP INDEX "IX_referrals_customer_registrable_domain";

DROP INDEX "IX_opportunities_customer_duns";

DROP INDEX "IX_opportunities_customer_registrable_domain";

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126200957_ValueObjectsAsComplexProperties', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
INSERT INTO "audit_log" ("AggregateType", "AggregateId", "Type", "Actor", "ActorPartnerId", "OccurredAt", "Summary", "Audience", "Data")
SELECT 'partner', "Id", 'partner.updated', 'system', NULL, "At", "Summary", NULL,
       json_object('partnerId', lower("Id"), 'type', 'partner.updated', 'summary', "Summary", 'actor', 'system', 'occurredAt', "AtText")
FROM (
    SELECT "Id",
           CAST(unixepoch('subsec') * 1000 AS INTEGER) * 10000 + 621355968000000000 AS "At",
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS "AtText",
           'Partner ''' || "Name" || ''' renamed to ''' || rtrim(substr("Name", 1, 161)) || ' (' || lower("Id") || ')'
               || ''': an older partner has the same name, and partner names are unique in any case.' AS "Summary"
    FROM "partners"
    WHERE EXISTS (
        SELECT 1 FROM "partners" AS "older"
        WHERE "older"."Name" = "partners"."Name" COLLATE NOCASE
          AND ("older"."CreatedAt" < "partners"."CreatedAt"
               OR ("older"."CreatedAt" = "partners"."CreatedAt" AND "older"."Id" < "partners"."Id"))));

UPDATE "partners"
SET "Name" = rtrim(substr("Name", 1, 161)) || ' (' || lower("Id") || ')', "Version" = "Version" + 1
WHERE EXISTS (
    SELECT 1 FROM "partners" AS "older"
    WHERE "older"."Name" = "partners"."Name" COLLATE NOCASE
      AND ("older"."CreatedAt" < "partners"."CreatedAt"
           OR ("older"."CreatedAt" = "partners"."CreatedAt" AND "older"."Id" < "partners"."Id")));

DROP INDEX "IX_partners_Name";

CREATE UNIQUE INDEX "IX_partners_Name" ON "partners" ("Name");

CREATE TABLE "ef_temp_partners" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_partners" PRIMARY KEY,
    "ChannelManagerId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Name" TEXT COLLATE NOCASE NOT NULL,
    "Status" TEXT NOT NULL,
    "Tier" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "territories" TEXT NOT NULL
);

INSERT INTO "ef_temp_partners" ("Id", "ChannelManagerId", "CreatedAt", "Name", "Status", "Tier", "Version", "territories")
SELECT "Id", "ChannelManagerId", "CreatedAt", "Name", "Status", "Tier", "Version", "territories"
FROM "partners";

COMMIT;

PRAGMA foreign_keys = 0;

BEGIN TRANSACTION;
DROP TABLE "partners";

ALTER TABLE "ef_temp_partners" RENAME TO "partners";

COMMIT;

PRAGMA foreign_keys = 1;

BEGIN TRANSACTION;
CREATE UNIQUE INDEX "IX_partners_Name" ON "partners" ("Name");

COMMIT;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261126211602_PartnerNamesUnique', '10.0.15');

BEGIN TRANSACTION;
ALTER TABLE "partners" ADD "NameKey" TEXT NOT NULL DEFAULT '';

UPDATE "partners" SET "NameKey" = upper("Name");

CREATE UNIQUE INDEX "IX_partners_NameKey" ON "partners" ("NameKey");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127085740_PartnerNameKey', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127152939_MoneyToTheThousandth', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE INDEX "IX_conflicts_AwardedClaimId" ON "conflicts" ("AwardedClaimId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127181142_ConflictAwardedClaimIndex', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "conflict_claims" ADD "Country" TEXT NOT NULL DEFAULT '';

UPDATE "conflict_claims" SET "Country" = COALESCE(
    (SELECT "customer_country" FROM "registrations" WHERE "registrations"."Id" = "conflict_claims"."ClaimId"),
    (SELECT "customer_country" FROM "opportunities" WHERE "opportunities"."Id" = "conflict_claims"."ClaimId"),
    (SELECT "Country" FROM "conflicts" WHERE "conflicts"."Id" = "conflict_claims"."ConflictId"));

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127212011_ClaimCountries', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
DROP INDEX "UX_opportunities_registration_source";

CREATE UNIQUE INDEX "UX_opportunities_registration_source" ON "opportunities" ("source_id") WHERE source_kind = 'Registration' AND Stage <> 'ClosedLost';

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261127213459_RegistrationDealAfterALoss', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "conflicts" ADD "LastStatementId" TEXT NULL;

ALTER TABLE "conflict_claims" ADD "StatementsThisRound" INTEGER NOT NULL DEFAULT 0;

UPDATE "conflicts" SET "LastStatementId" =
    (SELECT MAX("Id") FROM "conflict_statements" WHERE "conflict_statements"."ConflictId" = "conflicts"."Id");

UPDATE "conflict_claims" SET "StatementsThisRound" = (
    SELECT COUNT(*) FROM "conflict_statements"
    WHERE "conflict_statements"."ConflictId" = "conflict_claims"."ConflictId"
      AND "conflict_statements"."ClaimId" = "conflict_claims"."ClaimId"
      AND "conflict_statements"."At" >= COALESCE(
          (SELECT MAX("At") FROM "conflict_decision_log"
           WHERE "conflict_decision_log"."ConflictId" = "conflict_claims"."ConflictId" AND "Kind" IN ('Opened', 'Reopened')),
          (SELECT "OpenedAt" FROM "conflicts" WHERE "conflicts"."Id" = "conflict_claims"."ConflictId")));

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261129153728_ConflictStatementsBesideTheirCase', '10.0.15');

COMMIT;

