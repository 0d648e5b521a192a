package io.ruvector.integrity.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The Ed25519 key pair that signs integrity events, with the JDK's own provider (no extra
 * library). {@link #loadOrCreate(Path)} keeps one key per directory across restarts, so
 * verifiers can pin it: {@value #PRIVATE_FILE} (PKCS#8 DER, owner-only where the file system has
 * POSIX permissions) and {@value #PUBLIC_FILE} (X.509 SubjectPublicKeyInfo DER).
 *
 * <p>The signer id names the key, not the process: {@code ed25519:} followed by the first 16 hex
 * digits of SHA-256 over the X.509 encoding of the public key.
 */
public final class SigningKeys implements io.ruvector.schemas.signing.RecordSigner {

    public static final String ALGORITHM = "Ed25519";
    public static final String PRIVATE_FILE = "integrity-ed25519.key";
    public static final String PUBLIC_FILE = "integrity-ed25519.pub";

    private final KeyPair keyPair;
    private final String signerId;

    private SigningKeys(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.signerId = signerIdOf(keyPair.getPublic());
    }

    /** A fresh key pair kept in memory only. */
    public static SigningKeys generate() {
        try {
            return new SigningKeys(KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + ALGORITHM + " key pair generator", e);
        }
    }

    /**
     * The key pair stored in {@code dir}, or a new one written there first. Two processes racing
     * on an empty directory both end up with whichever pair was moved into place first.
     */
    public static SigningKeys loadOrCreate(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        try {
            if (!Files.exists(priv)) {
                Files.createDirectories(dir);
                SigningKeys fresh = generate();
                publish(dir, pub, fresh.publicKeyDer());
                publish(dir, priv, fresh.keyPair.getPrivate().getEncoded());
            }
            return load(priv, pub);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create the integrity signing key in " + dir, e);
        }
    }

    private static SigningKeys load(Path priv, Path pub) throws IOException {
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv)));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
            SigningKeys keys = new SigningKeys(new KeyPair(publicKey, privateKey));
            // A public file from another pair would make every event fail verification: check now.
            byte[] probe = {1, 2, 3};
            if (!new EventVerifier(publicKey).verifyBytes(probe, keys.signBytes(probe))) {
                throw new IllegalStateException(pub + " does not belong to the private key in " + priv);
            }
            return keys;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the " + ALGORITHM + " key pair " + priv + " / " + pub
                    + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to a temp file in {@code dir} and moves it to {@code target} unless that exists. */
    private static void publish(Path dir, Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, ".integrity-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: rely on the directory's own protection
            }
            Files.write(tmp, bytes);
            if (!Files.exists(target)) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                } catch (FileAlreadyExistsException e) {
                    // another process won the race; its file is the one to use
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static String signerIdOf(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "ed25519:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** An Ed25519 public key from its X.509 DER encoding in base64 (as {@link #publicKeyBase64()} prints). */
    public static PublicKey publicKeyFromBase64(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 X.509 " + ALGORITHM + " public key: " + e.getMessage(), e);
        }
    }

    @Override
    public String signerId() {
        return signerId;
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** X.509 SubjectPublicKeyInfo DER. */
    public byte[] publicKeyDer() {
        return keyPair.getPublic().getEncoded();
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKeyDer());
    }

    /** Ed25519 signature of {@code bytes} (a fresh {@code Signature} per call: they are not thread-safe). */
    @Override
    public byte[] signBytes(byte[] bytes) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(keyPair.getPrivate());
            signature.update(bytes);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + signerId + ": " + e.getMessage(), e);
        }
    }
}
