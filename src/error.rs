//! The crate's one error type.
//!
//! Every fallible operation returns [`Result<T>`](Result) with an [`Error`] whose variant says
//! precisely what went wrong and, where it applies, *where* (the JSON path of a bad catalogue
//! member, the field id of a bad answer, the index of a bad audit entry). Each variant has a
//! stable, machine-readable [`Error::code`] that the bindings expose unchanged.
//!
//! Errors never carry secret material: no private key, seed or signature input appears in
//! an error's fields or its `Display`.

/// Shorthand for `std::result::Result<T, eservices::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- money -------------------------------------------------------------------------
    /// Two amounts in different currencies were combined.
    #[error("currency mismatch: {left} and {right}")]
    CurrencyMismatch {
        /// Currency of the left-hand amount.
        left: String,
        /// Currency of the right-hand amount.
        right: String,
    },
    /// An arithmetic operation overflowed the decimal range.
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// The operation that overflowed (e.g. `add`, `multiply`).
        operation: String,
    },
    /// A currency code that this crate does not know.
    #[error("unknown currency {code:?}")]
    UnknownCurrency {
        /// The code as given.
        code: String,
    },
    /// A decimal amount that could not be parsed or has the wrong number of minor digits.
    #[error("invalid amount {value:?}: {reason}")]
    InvalidAmount {
        /// The text as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },

    // ---- time --------------------------------------------------------------------------
    /// A timestamp or date that could not be parsed or is not in the required form.
    #[error("invalid time {value:?}: {reason}")]
    InvalidTime {
        /// The text as given.
        value: String,
        /// Why it was refused.
        reason: String,
    },

    // ---- forms -------------------------------------------------------------------------
    /// One or more answers were refused; every bad field is listed, not just the first.
    #[error("{} invalid answer(s): {}", errors.len(), errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    InvalidAnswers {
        /// Each refused answer, in field order.
        errors: Vec<crate::catalogue::FieldError>,
    },

    // ---- json --------------------------------------------------------------------------
    /// JSON text that could not be parsed, or that violates the strict profile
    /// (duplicate member names, excessive nesting, non-integer numbers).
    #[error("invalid JSON at {path}: {reason}")]
    InvalidJson {
        /// JSON path of the problem (`$` for the document root).
        path: String,
        /// What is wrong.
        reason: String,
    },

    // ---- signing -----------------------------------------------------------------------
    /// A signed envelope, or the payload of a trust list or status list, is not well-formed.
    #[error("malformed envelope at {path}: {reason}")]
    MalformedEnvelope {
        /// JSON path of the problem (`$` for the envelope itself).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// An envelope whose format version `v` this crate does not implement.
    #[error("unsupported envelope version {version} (this crate implements version 1)")]
    UnsupportedVersion {
        /// The version as written in the envelope.
        version: String,
    },
    /// A signature algorithm name that this crate does not implement.
    #[error("unsupported signature algorithm {alg:?} (expected \"Ed25519\" or \"ES256\")")]
    UnsupportedAlg {
        /// The name as given.
        alg: String,
    },
    /// A public or private key that cannot be used (wrong length, not on the curve,
    /// small-order, unreadable PKCS#8). Never carries key material.
    #[error("invalid {alg} key: {reason}")]
    InvalidKey {
        /// The algorithm the key was meant for.
        alg: String,
        /// Why it was refused.
        reason: String,
    },
    /// A [`Signer`](crate::document::Signer) failed, or returned a signature that is not a
    /// valid fixed-size signature of the signing input under its own public key.
    #[error("signer failed: {reason}")]
    SignerFailed {
        /// What went wrong.
        reason: String,
    },
    /// Text that is not a valid QR form (`LS1:` + base45 of zlib data), or a document too
    /// large for it.
    #[error("invalid QR form: {reason}")]
    MalformedQr {
        /// What is wrong.
        reason: String,
    },
    /// A signed trust list or status list was refused by a verifier.
    #[error("{what} refused ({reason}): {detail}")]
    Rejected {
        /// What was refused (`trust list` or `status list`).
        what: String,
        /// The verdict reason; its code is stable (e.g. `trust_list_rollback`).
        reason: crate::verify::Reason,
        /// Human-readable explanation.
        detail: String,
    },
    /// A status-list size outside the allowed range or not a multiple of 8.
    #[error("status list size {size} must be a multiple of 8 between {min} and {max}")]
    InvalidStatusListSize {
        /// The size as given.
        size: u64,
        /// Smallest allowed size.
        min: u64,
        /// Largest allowed size.
        max: u64,
    },
    /// Every index of a status list is already allocated.
    #[error("status list {list:?} has no free index left ({size} entries)")]
    StatusListFull {
        /// The status list id.
        list: String,
        /// Its number of entries.
        size: u64,
    },
    /// A status-list index beyond the end of the list.
    #[error("index {index} is outside status list {list:?} of {size} entries")]
    StatusIndexOutOfRange {
        /// The status list id.
        list: String,
        /// The index as given.
        index: u64,
        /// The list's number of entries.
        size: u64,
    },
    /// A status-list index that was never allocated to a document.
    #[error("index {index} of status list {list:?} was never allocated")]
    StatusIndexNotAllocated {
        /// The status list id.
        list: String,
        /// The index as given.
        index: u64,
    },
    /// The operating system's secure random number generator failed.
    #[error("the system random number generator failed")]
    RandomUnavailable,

    // ---- application / audit -----------------------------------------------------------
    /// The actor's role may not take this action in the application's current state. The
    /// application is unchanged.
    #[error("{role} may not {action} an application that is {state}")]
    TransitionRefused {
        /// The application's state when the action was attempted.
        state: crate::application::State,
        /// The action attempted.
        action: crate::application::Action,
        /// The role of the actor who attempted it.
        role: crate::application::Role,
    },
    /// Only an applicant or a clerk (capturing at a counter) may create an application.
    #[error("{role} may not create an application")]
    CreateRefused {
        /// The role of the actor who attempted it.
        role: crate::application::Role,
    },
    /// An applicant acted on an application that is not theirs.
    #[error("actor {actor_id:?} is not the applicant of {reference}")]
    NotTheApplicant {
        /// The application reference.
        reference: String,
        /// The id of the actor who attempted it.
        actor_id: String,
    },
    /// Maker-checker: the approver already took part in this application (captured,
    /// handled or reviewed it, or is its applicant).
    #[error("maker-checker: {actor_id:?} already did {earlier_action} on {reference} and may not approve it")]
    MakerChecker {
        /// The application reference.
        reference: String,
        /// The id of the would-be approver.
        actor_id: String,
        /// The earlier action that actor took on the application.
        earlier_action: crate::application::Action,
    },
    /// The action needs the fee paid in full first.
    #[error("{reference}: {outstanding} {currency} is still owed")]
    PaymentOutstanding {
        /// The application reference.
        reference: String,
        /// The amount still owed (decimal text).
        outstanding: String,
        /// Its currency code.
        currency: String,
    },
    /// No payment is expected in the application's state (nothing owed, or the fee falls
    /// due only on approval).
    #[error("{reference}: no payment is expected while the application is {state}")]
    PaymentNotExpected {
        /// The application reference.
        reference: String,
        /// The application's state.
        state: crate::application::State,
    },
    /// A payment larger than the amount still owed.
    #[error(
        "{reference}: payment of {offered} {currency} exceeds the {outstanding} {currency} owed"
    )]
    Overpayment {
        /// The application reference.
        reference: String,
        /// The amount still owed (decimal text).
        outstanding: String,
        /// The amount of the refused payment (decimal text).
        offered: String,
        /// The currency code.
        currency: String,
    },
    /// The same payment was recorded twice.
    #[error("{reference}: payment {payment_ref:?} is already recorded")]
    DuplicatePayment {
        /// The application reference.
        reference: String,
        /// The payment's own reference.
        payment_ref: String,
    },
    /// A required input to an action is missing or blank (a reason, a correction, a
    /// document id…).
    #[error("{action} needs {input}")]
    InputRequired {
        /// The action attempted.
        action: crate::application::Action,
        /// The missing input, e.g. `reason`.
        input: String,
    },
    /// An actor with a blank or malformed id or office.
    #[error("invalid actor {actor_id:?}: {reason}")]
    InvalidActor {
        /// The actor's id as given.
        actor_id: String,
        /// Why it was refused.
        reason: String,
    },
    /// A form validator for a different service than the application's.
    #[error("the form validator is for {validator_service:?}, the application is for {service:?}")]
    ValidatorMismatch {
        /// The application's service id.
        service: String,
        /// The service id the validator checks.
        validator_service: String,
    },
    /// An attachment reference that is incomplete or malformed.
    #[error("invalid attachment {name:?}: {reason}")]
    InvalidAttachment {
        /// The attachment's name as given.
        name: String,
        /// Why it was refused.
        reason: String,
    },
    /// Text that is not an application reference (wrong shape, segment or character).
    #[error("invalid application reference {value:?}: {reason}")]
    InvalidReference {
        /// The text as given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A well-formed application reference whose check character does not match: it was
    /// mistyped.
    #[error("application reference {value:?} is mistyped (its check character does not match)")]
    ReferenceCheckFailed {
        /// The text as given.
        value: String,
    },
    /// A stored application whose parts contradict each other.
    #[error("inconsistent application {reference}: {reason}")]
    InconsistentApplication {
        /// The application reference.
        reference: String,
        /// What contradicts what.
        reason: String,
    },
    /// An application whose history does not match the audit log it claims to be recorded in.
    #[error("{reference}: history event {event} is not in audit log at seq {seq}")]
    HistoryNotInLog {
        /// The application reference.
        reference: String,
        /// Index of the history event.
        event: u64,
        /// The audit sequence number the event names.
        seq: u64,
    },
    /// A bad audit log id, action or reference given to the audit log.
    #[error("invalid audit {input}: {reason}")]
    InvalidAuditInput {
        /// Which input (`log_id`, `action`, `reference`, `details`).
        input: String,
        /// Why it was refused.
        reason: String,
    },
    /// The audit log was tampered with: the first bad entry and what is wrong with it.
    #[error("audit log tampered: entry {index} {kind}")]
    AuditLogTampered {
        /// Index (0-based) of the first bad entry; for `truncated`, the index of the first
        /// missing entry.
        index: u64,
        /// What is wrong.
        kind: crate::audit::TamperKind,
    },
    /// A checkpoint of a different audit log.
    #[error("checkpoint is for audit log {checkpoint_log_id:?}, not {log_id:?}")]
    CheckpointMismatch {
        /// The log's id.
        log_id: String,
        /// The checkpoint's log id.
        checkpoint_log_id: String,
    },

    // ---- catalogue ---------------------------------------------------------------------
    /// A catalogue member is missing, of the wrong type, unknown, or breaks a rule of the
    /// format (the reason says which).
    #[error("invalid catalogue at {path}: {reason}")]
    InvalidCatalogue {
        /// JSON path of the offending member, e.g. `$.services[2].fields[0].limits`.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A fee rule whose `kind` this crate does not know.
    #[error("unknown rule kind {kind:?} at {path}")]
    UnknownRuleKind {
        /// JSON path of the `kind` member.
        path: String,
        /// The kind as written.
        kind: String,
    },
    /// A catalogue amount or percentage that is not a plain decimal string, or that has more
    /// minor digits than its currency.
    #[error("invalid amount {value:?} at {path}: {reason}")]
    InvalidCatalogueAmount {
        /// JSON path of the amount.
        path: String,
        /// The value as written.
        value: String,
        /// Why it was refused.
        reason: String,
    },
    /// A price, cap or percentage below zero.
    #[error("negative amount {value:?} at {path}")]
    NegativeAmount {
        /// JSON path of the amount.
        path: String,
        /// The value as written.
        value: String,
    },
    /// A currency code in a catalogue that this crate does not know.
    #[error("unknown currency {code:?} at {path}")]
    UnknownCatalogueCurrency {
        /// JSON path of the currency member.
        path: String,
        /// The code as written.
        code: String,
    },
    /// A date that is not a real `YYYY-MM-DD` date.
    #[error("invalid date {value:?} at {path}")]
    InvalidCatalogueDate {
        /// JSON path of the date.
        path: String,
        /// The value as written.
        value: String,
    },
    /// A period whose `effective_to` is before its `effective_from`.
    #[error("effective_to {effective_to} is before effective_from {effective_from} at {path}")]
    InvalidDateRange {
        /// JSON path of the period.
        path: String,
        /// First day, as written.
        effective_from: String,
        /// Last day, as written.
        effective_to: String,
    },
    /// Two services with the same id.
    #[error("duplicate service id {service:?} at {path}")]
    DuplicateServiceId {
        /// JSON path of the second occurrence.
        path: String,
        /// The id.
        service: String,
    },
    /// Two rules with the same id in one fee schedule.
    #[error("duplicate rule id {rule:?} in service {service:?} at {path}")]
    DuplicateRuleId {
        /// JSON path of the second occurrence.
        path: String,
        /// The service id.
        service: String,
        /// The rule id.
        rule: String,
    },
    /// Two form fields with the same id in one service.
    #[error("duplicate field id {field:?} in service {service:?} at {path}")]
    DuplicateFieldId {
        /// JSON path of the second occurrence.
        path: String,
        /// The service id.
        service: String,
        /// The field id.
        field: String,
    },
    /// An `option_price` option naming a choice the field does not offer.
    #[error("option {option:?} at {path} is not a choice of field {field:?}")]
    UnknownOption {
        /// JSON path of the option.
        path: String,
        /// The choice field.
        field: String,
        /// The option as written.
        option: String,
    },
    /// Two fee schedule versions of one service in force on the same day.
    #[error("fee schedules of {service:?} effective from {first_from} and {second_from} overlap")]
    OverlappingSchedules {
        /// The service id.
        service: String,
        /// `effective_from` of the earlier version.
        first_from: String,
        /// `effective_from` of the later version.
        second_from: String,
    },
    /// Consecutive fee schedule versions of one service leave days without fees.
    #[error("fee schedules of {service:?} leave a gap from {gap_from} to {gap_to}")]
    ScheduleGap {
        /// The service id.
        service: String,
        /// First day without a schedule.
        gap_from: String,
        /// Last day without a schedule.
        gap_to: String,
    },
    /// No service with this id in the catalogue.
    #[error("unknown service {service:?}")]
    UnknownService {
        /// The id as given.
        service: String,
    },
    /// No fee schedule of the service is in force on the date.
    #[error("no fee schedule of {service:?} is in force on {date}")]
    NoScheduleInForce {
        /// The service id.
        service: String,
        /// The date (`YYYY-MM-DD`).
        date: String,
    },

    // ---- fees --------------------------------------------------------------------------
    /// A tax rule has no rate in force on the quote date.
    #[error("tax rule {rule:?} of {service:?} has no rate in force on {date}")]
    NoTaxRateInForce {
        /// The service id.
        service: String,
        /// The tax rule id.
        rule: String,
        /// The date (`YYYY-MM-DD`).
        date: String,
    },
    /// An applicant category the catalogue does not define.
    #[error("unknown applicant category {category:?}")]
    UnknownApplicantCategory {
        /// The category as given.
        category: String,
    },
    /// A quote whose `quote_id` does not match its content.
    #[error("quote id {claimed:?} does not match its content (expected {computed:?})")]
    QuoteIdMismatch {
        /// The id the quote carries.
        claimed: String,
        /// The id its content hashes to.
        computed: String,
    },

    // ---- payment / receipt -------------------------------------------------------------
    /// A payment, refund or void request with a missing, over-long or ill-formed member.
    #[error("invalid {field}: {reason}")]
    InvalidPaymentRequest {
        /// The member, e.g. `amount` or `external_reference`.
        field: String,
        /// Why it was refused.
        reason: String,
    },
    /// No quote with this id was registered for the application.
    #[error("no quote {quote_id:?} is registered for application {application:?}")]
    UnknownQuote {
        /// The application reference.
        application: String,
        /// The quote id as given.
        quote_id: String,
    },
    /// The quote is past its validity period.
    #[error("quote {quote_id:?} of {date} expired after {last_day}")]
    QuoteExpired {
        /// The quote id.
        quote_id: String,
        /// The quote's date (`YYYY-MM-DD`).
        date: String,
        /// Its last valid day (`YYYY-MM-DD`).
        last_day: String,
    },
    /// A newer quote replaced this one for the application.
    #[error("quote {quote_id:?} is superseded by {superseded_by:?}")]
    QuoteSuperseded {
        /// The quote id.
        quote_id: String,
        /// The quote in force for the application.
        superseded_by: String,
    },
    /// The idempotency key was already used for a request with different content.
    #[error("idempotency key {key:?} was already used for a different request")]
    IdempotencyConflict {
        /// The key.
        key: String,
    },
    /// The channel's external reference was already recorded for another payment.
    #[error("external reference {external_reference:?} of channel {channel} is already recorded on receipt {receipt}")]
    DuplicateExternalReference {
        /// The channel code.
        channel: String,
        /// The reference.
        external_reference: String,
        /// The receipt of the payment that holds it.
        receipt: String,
    },
    /// No receipt series is open for the office.
    #[error("no receipt series is open for office {office:?}")]
    UnknownOffice {
        /// The office as given.
        office: String,
    },
    /// No quote was ever registered for the application.
    #[error("no quote is registered for application {application:?}")]
    UnknownApplication {
        /// The application reference as given.
        application: String,
    },
    /// A receipt series is already open for the office.
    #[error("a receipt series is already open for office {office:?}")]
    SeriesAlreadyOpen {
        /// The office.
        office: String,
    },
    /// A receipt series has used every number it can carry.
    #[error("receipt series {series:?} of office {office:?} is exhausted")]
    SeriesExhausted {
        /// The office.
        office: String,
        /// The series.
        series: String,
    },
    /// No payment receipt with this id is in the ledger.
    #[error("no payment receipt {receipt:?}")]
    UnknownReceipt {
        /// The receipt id as given.
        receipt: String,
    },
    /// A refund larger than what remains refundable on the receipt.
    #[error(
        "refund of {requested} exceeds the {refundable} still refundable on receipt {receipt}"
    )]
    RefundExceedsRefundable {
        /// The receipt refunded.
        receipt: String,
        /// The amount asked for.
        requested: String,
        /// What remains refundable.
        refundable: String,
    },
    /// No refund request with this id.
    #[error("no refund request {request:?}")]
    UnknownRefundRequest {
        /// The request id as given.
        request: String,
    },
    /// The refund request was already approved or declined.
    #[error("refund request {request:?} is already {state}")]
    RefundNotPending {
        /// The request id.
        request: String,
        /// Its state (`approved` or `declined`).
        state: String,
    },
    /// Maker-checker: the actor who requested a refund may not approve or decline it.
    #[error("refund request {request:?} was made by {actor:?}, who may not also decide it")]
    SameActorApproval {
        /// The request id.
        request: String,
        /// The actor.
        actor: String,
    },
    /// A receipt envelope whose payload is not a well-formed receipt.
    #[error("invalid receipt at {path}: {reason}")]
    InvalidReceipt {
        /// JSON path of the problem, e.g. `$.payload.amount`.
        path: String,
        /// What is wrong.
        reason: String,
    },

    // ---- vc ----------------------------------------------------------------------------
    /// W3C credentials are secured with `eddsa-jcs-2022`, which needs an Ed25519 key; a
    /// signer or key of another algorithm cannot be used.
    #[error("eddsa-jcs-2022 needs an Ed25519 key, not {alg}")]
    VcUnsupportedAlg {
        /// The algorithm of the key that was offered.
        alg: String,
    },
    /// The signer offered to export a document is not the key that signed it.
    #[error("the signer's key {signer_kid} did not sign this document (signed by {document_kid})")]
    VcSignerMismatch {
        /// Key id named by the document.
        document_kid: String,
        /// Key id of the signer offered.
        signer_kid: String,
    },
    /// A document offered for export whose own signature does not verify.
    #[error("document {id:?} does not verify under its signing key {kid}")]
    VcDocumentSignatureInvalid {
        /// The document id.
        id: String,
        /// The key id it names.
        kid: String,
    },
    /// A `did:key` identifier (or verification method) that cannot be resolved locally to an
    /// Ed25519 key.
    #[error("cannot resolve {did:?}: {reason}")]
    InvalidDidKey {
        /// The identifier as given (at most 128 characters).
        did: String,
        /// Why it was refused.
        reason: String,
    },
    /// A document or proof options that the `eddsa-jcs-2022` algorithms refuse (the
    /// specification's PROOF_GENERATION_ERROR and PROOF_TRANSFORMATION_ERROR).
    #[error("invalid proof input at {path}: {reason}")]
    InvalidProofOptions {
        /// JSON path of the problem (`$` is the document, `$.proof` the proof options).
        path: String,
        /// What is wrong.
        reason: String,
    },
    // ---- store -------------------------------------------------------------------------
    /// The database was written by a newer version of this library (its schema version is
    /// higher than this library knows); it is never downgraded.
    #[error("store {path:?} has schema version {found}; this library knows up to {supported}")]
    StoreTooNew {
        /// The database file.
        path: String,
        /// Its schema version.
        found: u32,
        /// The newest schema version this library knows.
        supported: u32,
    },
    /// The file is an SQLite database of another application.
    #[error("{path:?} is not an eservices store")]
    StoreForeign {
        /// The database file.
        path: String,
    },
    /// Another connection held the database lock for longer than the busy timeout.
    #[error("store busy: {operation} waited longer than the busy timeout")]
    StoreBusy {
        /// What was being done.
        operation: String,
    },
    /// The database file is damaged, or not a database.
    #[error("store corrupt during {operation}: {reason}")]
    StoreCorrupt {
        /// What was being done.
        operation: String,
        /// What SQLite reported.
        reason: String,
    },
    /// A write broke a uniqueness or integrity rule of the schema (e.g. an idempotency key
    /// or an external reference recorded twice).
    #[error("store constraint failed: {constraint}")]
    StoreConstraint {
        /// The rule, e.g. `UNIQUE payments.idempotency_key`.
        constraint: String,
    },
    /// The database could not be opened, read or written (permissions, disk full, I/O).
    #[error("store failed during {operation}: {reason}")]
    StoreFailed {
        /// What was being done.
        operation: String,
        /// What SQLite or the system reported.
        reason: String,
    },
    /// A stored row cannot be read back as the record it should be, or disagrees with the
    /// signed record it belongs to (e.g. a payment row edited outside the library).
    #[error("stored {table} row {key:?} is invalid: {reason}")]
    StoreRecordInvalid {
        /// The table.
        table: String,
        /// The row's key.
        key: String,
        /// What is wrong.
        reason: String,
    },
    /// No application with this reference is stored.
    #[error("no application {reference:?} is stored")]
    ApplicationNotFound {
        /// The reference as given.
        reference: String,
    },
    /// An application with this reference is already stored.
    #[error("application {reference:?} is already stored")]
    ApplicationExists {
        /// The reference.
        reference: String,
    },
    /// The office's stored series has another name than the one given.
    #[error("office {office:?} keeps receipt series {stored:?}, not {given:?}")]
    SeriesMismatch {
        /// The office.
        office: String,
        /// The stored series name.
        stored: String,
        /// The series name given.
        given: String,
    },
}

impl Error {
    /// A stable, machine-readable code for this error (snake_case). Codes never change
    /// meaning between releases; the bindings expose them as-is.
    pub fn code(&self) -> &'static str {
        match self {
            Error::CurrencyMismatch { .. } => "currency_mismatch",
            Error::Overflow { .. } => "overflow",
            Error::UnknownCurrency { .. } => "unknown_currency",
            Error::InvalidAmount { .. } => "invalid_amount",
            Error::InvalidTime { .. } => "invalid_time",
            Error::InvalidAnswers { .. } => "invalid_answers",
            Error::InvalidJson { .. } => "invalid_json",
            Error::MalformedEnvelope { .. } => "malformed_envelope",
            Error::UnsupportedVersion { .. } => "unsupported_version",
            Error::UnsupportedAlg { .. } => "unsupported_alg",
            Error::InvalidKey { .. } => "invalid_key",
            Error::SignerFailed { .. } => "signer_failed",
            Error::MalformedQr { .. } => "malformed_qr",
            Error::Rejected { .. } => "rejected",
            Error::InvalidStatusListSize { .. } => "invalid_status_list_size",
            Error::StatusListFull { .. } => "status_list_full",
            Error::StatusIndexOutOfRange { .. } => "status_index_out_of_range",
            Error::StatusIndexNotAllocated { .. } => "status_index_not_allocated",
            Error::RandomUnavailable => "random_unavailable",
            Error::TransitionRefused { .. } => "transition_refused",
            Error::CreateRefused { .. } => "create_refused",
            Error::NotTheApplicant { .. } => "not_the_applicant",
            Error::MakerChecker { .. } => "maker_checker",
            Error::PaymentOutstanding { .. } => "payment_outstanding",
            Error::PaymentNotExpected { .. } => "payment_not_expected",
            Error::Overpayment { .. } => "overpayment",
            Error::DuplicatePayment { .. } => "duplicate_payment",
            Error::InputRequired { .. } => "input_required",
            Error::InvalidActor { .. } => "invalid_actor",
            Error::ValidatorMismatch { .. } => "validator_mismatch",
            Error::InvalidAttachment { .. } => "invalid_attachment",
            Error::InvalidReference { .. } => "invalid_reference",
            Error::ReferenceCheckFailed { .. } => "reference_check_failed",
            Error::InconsistentApplication { .. } => "inconsistent_application",
            Error::HistoryNotInLog { .. } => "history_not_in_log",
            Error::InvalidAuditInput { .. } => "invalid_audit_input",
            Error::AuditLogTampered { .. } => "audit_log_tampered",
            Error::CheckpointMismatch { .. } => "checkpoint_mismatch",
            Error::InvalidCatalogue { .. } => "invalid_catalogue",
            Error::UnknownRuleKind { .. } => "unknown_rule_kind",
            Error::InvalidCatalogueAmount { .. } => "invalid_catalogue_amount",
            Error::NegativeAmount { .. } => "negative_amount",
            Error::UnknownCatalogueCurrency { .. } => "unknown_catalogue_currency",
            Error::InvalidCatalogueDate { .. } => "invalid_catalogue_date",
            Error::InvalidDateRange { .. } => "invalid_date_range",
            Error::DuplicateServiceId { .. } => "duplicate_service_id",
            Error::DuplicateRuleId { .. } => "duplicate_rule_id",
            Error::DuplicateFieldId { .. } => "duplicate_field_id",
            Error::UnknownOption { .. } => "unknown_option",
            Error::OverlappingSchedules { .. } => "overlapping_schedules",
            Error::ScheduleGap { .. } => "schedule_gap",
            Error::UnknownService { .. } => "unknown_service",
            Error::NoScheduleInForce { .. } => "no_schedule_in_force",
            Error::NoTaxRateInForce { .. } => "no_tax_rate_in_force",
            Error::UnknownApplicantCategory { .. } => "unknown_applicant_category",
            Error::QuoteIdMismatch { .. } => "quote_id_mismatch",
            Error::InvalidPaymentRequest { .. } => "invalid_payment_request",
            Error::UnknownQuote { .. } => "unknown_quote",
            Error::QuoteExpired { .. } => "quote_expired",
            Error::QuoteSuperseded { .. } => "quote_superseded",
            Error::IdempotencyConflict { .. } => "idempotency_conflict",
            Error::DuplicateExternalReference { .. } => "duplicate_external_reference",
            Error::UnknownOffice { .. } => "unknown_office",
            Error::UnknownApplication { .. } => "unknown_application",
            Error::SeriesAlreadyOpen { .. } => "series_already_open",
            Error::SeriesExhausted { .. } => "series_exhausted",
            Error::UnknownReceipt { .. } => "unknown_receipt",
            Error::RefundExceedsRefundable { .. } => "refund_exceeds_refundable",
            Error::UnknownRefundRequest { .. } => "unknown_refund_request",
            Error::RefundNotPending { .. } => "refund_not_pending",
            Error::SameActorApproval { .. } => "same_actor_approval",
            Error::InvalidReceipt { .. } => "invalid_receipt",
            Error::VcUnsupportedAlg { .. } => "vc_unsupported_alg",
            Error::VcSignerMismatch { .. } => "vc_signer_mismatch",
            Error::VcDocumentSignatureInvalid { .. } => "vc_document_signature_invalid",
            Error::InvalidDidKey { .. } => "invalid_did_key",
            Error::InvalidProofOptions { .. } => "invalid_proof_options",
            Error::StoreTooNew { .. } => "store_too_new",
            Error::StoreForeign { .. } => "store_foreign",
            Error::StoreBusy { .. } => "store_busy",
            Error::StoreCorrupt { .. } => "store_corrupt",
            Error::StoreConstraint { .. } => "store_constraint",
            Error::StoreFailed { .. } => "store_failed",
            Error::StoreRecordInvalid { .. } => "store_record_invalid",
            Error::ApplicationNotFound { .. } => "application_not_found",
            Error::ApplicationExists { .. } => "application_exists",
            Error::SeriesMismatch { .. } => "series_mismatch",
        }
    }
}
