//! Which fields hold a secret, by their names: the metadata marks none, and a password, a key
//! secret or a token left unmarked is printed by `Debug`, in a log line or an error.
//!
//! The rule reads the last part of a wire name (`LaunchConfiguration.Password` -> `Password`)
//! without regard to case, and marks only strings (`HasPassword` and `PasswordInherit` are
//! booleans, `PasswordLength` a number). A name is a secret when it ends in a word that names
//! one: `Password` (`VncPassword`, `AccountPassword`), `Passwd`, `Pwd`, `Passphrase`, `Secret`
//! (`AccessKeySecret`, `ClientSecret`), `SecretKey`, `SecretData`, `PrivateKey`,
//! `PrivateKeyBody`, `Assertion` (`SAMLAssertion`), `Credential`, `Credentials`, `AuthCode`,
//! `AuthTokens`, or `Token` (`OIDCToken`, `SecurityToken`, `AccessToken`).
//!
//! Key material that a response hands back or a request sets is a secret too, though its name
//! says `Key` or nothing at all: a pre-shared key (`Psk`, VPC's IPsec connections), a decrypted
//! text (`Plaintext`, KMS `Decrypt` and `GenerateDataKey`), a private key under another word
//! (`PrivateKeyData`, KMS `CreateClientKey`; `ClientKey` and `ServerKey`, the private keys of VPC's
//! SSL-VPN client certificates and of RDS's SSL), a key that signs or authenticates (`AuthKey`,
//! a BGP peer's or a callback's; `ApiKey`; `Cak`, MACsec's connectivity association key), an
//! MFA device's seed and the QR code that carries it (`Base32StringSeed`, `QRCodePNG`, RAM
//! `CreateVirtualMFADevice`), and a ticket that lets its holder in (`Ticket`, App Streaming's
//! connection ticket), and a URL that carries a session's credential (`VncUrl`, ECS's and ENS's
//! VNC terminal, usable by whoever holds it until it expires). These endings are chosen over a bare `Key`, which names a tag's key, a
//! sort key or an object's key in hundreds of parameters: marking a name that holds no secret
//! only hides it from `Debug`, while leaving one that does prints it.
//!
//! A name is not a secret when it ends in anything else (`PasswordName`, `KeyPairName`,
//! `SecretId`, `TokenId`, `PublicKey`, `ClientKeyId`, `HttpTokens`): an identifier or a name of a
//! secret is what a caller logs to find it; when a word that makes it a question comes first
//! (`IsValueSecret`); or when its token pages or makes a call idempotent, and so is no credential
//! (`ClientToken`, `NextToken`, `NextPageToken`, `ContinuationToken`, `IdempotenceToken`).

/// Endings (lower case) of names that hold a secret.
const SECRET_ENDINGS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "secretkey",
    "secretdata",
    "privatekey",
    "privatekeybody",
    "assertion",
    "credential",
    "credentials",
    "authcode",
    "authtokens",
    "token",
    "psk",
    "plaintext",
    "privatekeydata",
    "clientkey",
    "serverkey",
    "authkey",
    "apikey",
    "cak",
    "seed",
    "qrcodepng",
    "ticket",
    "vncurl",
];

/// Endings (lower case) of tokens that are no credential: paging cursors and idempotency keys.
const PLAIN_TOKEN_ENDINGS: &[&str] = &[
    "clienttoken",
    "idempotencetoken",
    "idempotenttoken",
    "nexttoken",
    "pagetoken",
    "previoustoken",
    "lasttoken",
    "continuationtoken",
    "scrolltoken",
];

/// First words (as written, followed by a capital) that make a name a question about a secret
/// rather than the secret: `IsValueSecret`, `HasPassword`.
const QUESTION_WORDS: &[&str] = &[
    "Is", "Has", "Need", "Needs", "Require", "Requires", "Allow", "Enable", "Use", "Show",
];

/// Whether a string field named `wire` holds a secret.
pub fn names_a_secret(wire: &str) -> bool {
    let last = wire.rsplit('.').next().unwrap_or(wire);
    let asks = QUESTION_WORDS.iter().any(|word| {
        last.strip_prefix(word)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
    });
    if asks {
        return false;
    }
    let lower = last.to_ascii_lowercase();
    SECRET_ENDINGS.iter().any(|end| lower.ends_with(end))
        && !PLAIN_TOKEN_ENDINGS.iter().any(|end| lower.ends_with(end))
}

#[cfg(test)]
mod tests {
    use super::names_a_secret;

    #[test]
    fn marks_every_name_that_holds_a_secret() {
        for name in [
            "Password",
            "VncPassword",
            "AuthPassword",
            "AccountPassword",
            "LaunchConfiguration.Password",
            "PassWord",
            "TargetDBPasswd",
            "SharePwd",
            "SrtPassphrase",
            "Secret",
            "AccessKeySecret",
            "ClientSecret",
            "SecretKey",
            "SecretData",
            "PrivateKey",
            "PrivateKeyBody",
            "SecurityToken",
            "OIDCToken",
            "AccessToken",
            "Token",
            "SAMLAssertion",
            "Credential",
            "AuthCode",
            "Psk",
            "IkeConfig.Psk",
            "Plaintext",
            "PrivateKeyData",
            "ClientKey",
            "ServerKey",
            "AuthKey",
            "NotifyAuthKey",
            "ApiKey",
            "Cak",
            "Base32StringSeed",
            "QRCodePNG",
            "Ticket",
            "VncUrl",
        ] {
            assert!(names_a_secret(name), "{name} should be marked");
        }
    }

    #[test]
    fn leaves_names_that_only_mention_a_secret() {
        for name in [
            "ClientToken",
            "NextToken",
            "NextPageToken",
            "PageToken",
            "ContinuationToken",
            "IdempotenceToken",
            "IdempotentToken",
            "PasswordInherit",
            "PasswordInherited",
            "LaunchConfiguration.PasswordInherit",
            "PasswordName",
            "WindowsPasswordName",
            "HasPassword",
            "IsValueSecret",
            "PasswordLength",
            "TokenId",
            "AccessTokenId",
            "HttpTokens",
            "SecretId",
            "SecretName",
            "KeyPairName",
            "PublicKey",
            "KMSKeyId",
            "OIDCProviderArn",
            "SAMLProviderArn",
            "OIDCTokenInfo",
            "SAMLAssertionInfo",
            "PskEnabled",
            "ClientKeyId",
            "AuthKeyId",
            "ApiKeyName",
            "Ckn",
            "EnableSaveMFATicket",
            "PlaintextLength",
            "Key",
            "TagKey",
            "EncryptionKey",
            "ImageUrl",
            "VncUrlExpireTime",
        ] {
            assert!(!names_a_secret(name), "{name} should not be marked");
        }
    }
}
