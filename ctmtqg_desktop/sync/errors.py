"""Why a package or an enrollment file is refused, held or kept aside, as sentences.

Every check of :mod:`ctmtqg_desktop.sync.package_reader` and of the import raises one of
these, with the data the sentence needs. ``outcome`` says what happens to the file:
``rejected`` (refused, nothing kept), ``held`` (kept until an earlier package arrives),
``quarantined`` (kept until the user accepts the sending installation), ``newer`` (kept
until the application is updated) or ``alert`` (refused, and the user is warned that two
different packages carry the same number).
"""

from __future__ import annotations

from typing import ClassVar

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_


class PackageProblem(UserError):
    """A package that is not applied; ``code`` names the check for tests and the history."""

    outcome: ClassVar[str] = "rejected"
    code: ClassVar[str] = "rejected"
    template = N_("The package was refused.")


# -- the file as a whole ---------------------------------------------------------------
class NotAPackage(PackageProblem):
    code = "not_zip"
    template = N_("“{name}” is not a sync package: it cannot be read as a ZIP file (it may "
                  "be incomplete or damaged). Ask the sender to send it again.")


class PackageTooLarge(PackageProblem):
    code = "too_large"
    template = N_("“{name}” is {size} bytes, more than a sync package may be ({limit} bytes).")


class PackageUnreadable(PackageProblem):
    code = "unreadable"
    template = N_("“{name}” could not be read: {reason}")


# -- ZIP safety ------------------------------------------------------------------------
class UnsafeEntryName(PackageProblem):
    code = "unsafe_name"
    template = N_("The package contains an entry with an unsafe name “{entry}” ({why}). "
                  "It was refused without being opened further.")


class UnexpectedEntry(PackageProblem):
    code = "unexpected_entry"
    template = N_("The package contains an entry “{entry}” that a sync package never has.")


class DuplicateEntry(PackageProblem):
    code = "duplicate_entry"
    template = N_("The package contains the entry “{entry}” twice.")


class LinkEntry(PackageProblem):
    code = "link_entry"
    template = N_("The package entry “{entry}” is a link or a folder, not a file.")


class TooManyEntries(PackageProblem):
    code = "too_many_entries"
    template = N_("The package has {count} entries; at most {limit} are allowed.")


class EntryTooLarge(PackageProblem):
    code = "entry_too_large"
    template = N_("The package entry “{entry}” would unpack to {size} bytes; at most {limit} "
                  "bytes are allowed.")


class EntryOverCompressed(PackageProblem):
    code = "over_compressed"
    template = N_("The package entry “{entry}” is compressed {ratio} times, far more than real "
                  "data can be (a “ZIP bomb”). It was not unpacked.")


class EntriesOverlap(PackageProblem):
    code = "overlapping_entries"
    template = N_("Entries of the package overlap inside the file (a forged ZIP). It was "
                  "not unpacked.")


class UnsupportedZipFeature(PackageProblem):
    code = "zip_feature"
    template = N_("The package entry “{entry}” uses a ZIP feature that sync packages never "
                  "use ({feature}).")


class MissingEntry(PackageProblem):
    code = "missing_entry"
    template = N_("The package lacks its entry “{entry}”.")


# -- manifest and signature -------------------------------------------------------------
class ManifestTooLarge(PackageProblem):
    code = "manifest_too_large"
    template = N_("The package's manifest is {size} bytes; at most {limit} are allowed.")


class ManifestInvalid(PackageProblem):
    code = "manifest_invalid"
    template = N_("The package's manifest is invalid: {detail}")


class SignatureInvalid(PackageProblem):
    code = "bad_signature"
    template = N_("The signature of the package does not match the installation {node} of "
                  "{unit}: the file was altered or signed by someone else. Nothing was applied.")


class KeyChanged(PackageProblem):
    code = "key_changed"
    outcome = "alert"
    template = N_("The package claims to come from the installation {node} of {unit}, but "
                  "carries other keys than the ones this workspace knows for it. Nothing was "
                  "applied; check with the sender by phone.")


class SenderRevoked(PackageProblem):
    code = "revoked"
    template = N_("The installation {node} of {unit} is no longer trusted (it was revoked on "
                  "this computer). Its package was refused.")


class SenderNotPeer(PackageProblem):
    code = "not_peer"
    template = N_("The package comes from {sender}, which is neither the parent unit nor a "
                  "child unit of {unit}.")


class WrongRecipient(PackageProblem):
    code = "wrong_recipient"
    template = N_("The package is addressed to {recipient}, not to this workspace ({unit}).")


class NotForThisInstallation(PackageProblem):
    code = "other_installation"
    template = N_("The package is encrypted for another installation of {unit}; this "
                  "computer cannot open it. Import it on the installation it was made for.")


class SentByThisInstallation(PackageProblem):
    code = "own_package"
    template = N_("This package was made by this installation itself; it goes to {recipient}.")


class NewerFormat(PackageProblem):
    code = "newer_format"
    outcome = "newer"
    template = N_("The package was made by CTMTQG Desktop {version}, which uses a newer "
                  "package format ({detail}). It is kept; update the application to version "
                  "{version} or later and it will be applied.")


class UnreadableFormat(PackageProblem):
    """A package format or capability this version does not know: its signature cannot be
    checked, so nothing of it is kept and nothing its manifest says is shown (issue 12)."""

    code = "newer_format"
    template = N_("The package uses a package format that this version of CTMTQG Desktop "
                  "cannot read, so its signature could not be checked; it was not kept. "
                  "Update the application, then import the file again.")


class NewerSchema(PackageProblem):
    code = "newer_schema"
    outcome = "newer"
    template = N_("The package was made by CTMTQG Desktop {version} with a newer data version "
                  "({revision}). It is kept; update the application to version {version} or "
                  "later and it will be applied.")


class UnknownSender(PackageProblem):
    code = "unknown_sender"
    outcome = "quarantined"
    template = N_("The package comes from an installation this workspace does not know yet: "
                  "{node} of {unit}, fingerprint {fingerprint}. It is kept in quarantine; "
                  "call the sender, compare the fingerprint, then accept the installation.")


# -- sequence ------------------------------------------------------------------------
class GapBefore(PackageProblem):
    code = "gap"
    outcome = "held"
    template = N_("Package no. {number} from {unit} starts at change {first}, but only the "
                  "changes up to {applied} have arrived here. It is kept and will be applied "
                  "as soon as the missing package arrives.")


class ForkedPackage(PackageProblem):
    code = "fork"
    outcome = "alert"
    template = N_("Warning: package no. {number} from {unit} ({node}) differs from the package "
                  "with the same number received earlier. The sending computer may have been "
                  "restored from an old copy, or the file was forged. Nothing was applied; "
                  "contact the sender.")


# -- content ---------------------------------------------------------------------------
class EntryHashMismatch(PackageProblem):
    code = "hash_mismatch"
    template = N_("The entry “{entry}” of the package does not match its manifest (size or "
                  "SHA-256 differ): the file was damaged or altered. Ask for it again.")


class DecryptionFailed(PackageProblem):
    code = "decryption_failed"
    template = N_("The entry “{entry}” of the package could not be decrypted: it was damaged "
                  "or altered.")


class BadChange(PackageProblem):
    code = "bad_change"
    template = N_("Change {line} of the package is invalid: {detail}")


class UnknownTable(PackageProblem):
    code = "unknown_table"
    template = N_("Change {line} of the package is for an unknown kind of record “{table}”.")


class NotEntitled(PackageProblem):
    """Something only the receiver's own parent may send (catalog, dossier templates,
    handbook pages), from any other unit."""

    code = "not_entitled"
    template = N_("The package from {sender} carries {what}; only the parent unit of this "
                  "workspace may send that. The whole package was refused.")


class DeclaresOtherUnit(PackageProblem):
    code = "declares_other_unit"
    template = N_("The package from {sender} declares an installation of {unit}; a package "
                  "may only declare installations of the units whose records it carries. "
                  "The whole package was refused.")


class CatalogMovesReceiver(PackageProblem):
    code = "catalog_moves_receiver"
    template = N_("The catalog update in the package moves {unit} or a unit above it under "
                  "another parent. A package never changes this workspace's place: check "
                  "the reorganisation with the province, then take its catalog from a "
                  "catalog file or an application update. The whole package was refused.")


class NotOwner(PackageProblem):
    code = "not_owner"
    template = N_("Change {line} of the package writes a record of {owner} ({table}), which "
                  "{sender} may not change. The whole package was refused.")


class TombstoneForUnknown(PackageProblem):
    code = "unknown_tombstone"
    template = N_("Change {line} of the package deletes a record ({table} {record}) that this "
                  "workspace has never received.")


class OwnerChanged(PackageProblem):
    code = "owner_changed"
    template = N_("Change {line} of the package moves a record ({table} {record}) from {old} "
                  "to {new}; a record's owner never changes.")


class TotalsMismatch(PackageProblem):
    code = "totals_mismatch"
    template = N_("The package's changes do not add up to the totals in its manifest "
                  "({table}: {found} found, {declared} declared). Nothing was applied.")


class MissingAttachmentFile(PackageProblem):
    code = "missing_attachment"
    template = N_("The package refers to an attached file {digest} that is neither in the "
                  "package nor on this computer.")


class AttachmentOverLimit(PackageProblem):
    code = "attachment_too_large"
    template = N_("The package carries an attached file larger than {limit} MB, the limit "
                  "set on this computer. Nothing was applied and nothing of it was kept; ask "
                  "the sender to send a smaller scan, or raise the limit in Settings.")


class MissingReference(PackageProblem):
    code = "missing_reference"
    template = N_("The package's records refer to records that are missing here ({detail}). "
                  "Nothing was applied.")


class BadCatalog(PackageProblem):
    code = "bad_catalog"
    template = N_("The catalog update in the package is invalid: {detail}")


class BadReferences(PackageProblem):
    code = "bad_references"
    template = N_("The dossier templates or handbook pages in the package are invalid: "
                  "{detail}")


class ClockAhead(PackageProblem):
    code = "clock_ahead"
    template = N_("Change {line} of the package was written on {when}, {days} days after the "
                  "date of this computer: the clock of the computer that made it is wrong. Set "
                  "its date and time right; records it wrote meanwhile keep that date, so ask "
                  "the support team before sending again.")


# -- enrollment ---------------------------------------------------------------------------
class EnrollmentInvalid(UserError):
    template = N_("“{name}” is not a valid enrollment file: {detail}")


class NotAChildUnit(UserError):
    template = N_("{child} is not a child unit of {unit}; an enrollment file can only be "
                  "issued for a child unit.")


class EnrollmentNeedsParent(UserError):
    template = N_("Only a parent unit's workspace issues enrollment files; this one works "
                  "for {unit} as a commune.")


class KeysMissing(UserError):
    template = N_("The keys of this installation are missing or damaged in {folder}. Restore "
                  "the “keys” folder from a backup; without it the installation cannot sign "
                  "or open packages.")


class NoRecipient(UserError):
    exit_code = 2
    template = N_("{unit} has no parent unit in the catalog; choose the recipient with "
                  "--to CODE.")


class RecipientNotPeer(UserError):
    exit_code = 2
    template = N_("{recipient} is neither the parent unit nor a child unit of {unit}.")


class NodeNotFound(UserError):
    template = N_("No installation matches “{ident}”.")


class ExportBusy(UserError):
    template = N_("Another package for {recipient} was being made at the same time; nothing "
                  "was written. Try again.")
