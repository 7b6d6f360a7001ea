{-# LANGUAGE OverloadedStrings #-}
-- | jwt-conformance subprocess adapter for the Haskell package jwt 0.11 (Web.JWT, by Ben Ford
-- and contributors; Debian libghc-jwt-dev), protocol version 3 (docs/adapters.md), on the
-- Haskell helper (adapters/haskell/JwtConformanceAdapter.hs). Every verdict is the library's:
-- nothing is checked here.
--
-- Configuration, per request: Web.JWT.decode, then Web.JWT.verify with one VerifySigner
-- (decodeAndVerifySignature is exactly verify =<< decode; the two steps give distinct error
-- texts). jwt 0.11 has no algorithm setting: the VerifySigner's constructor is the algorithm
-- (VerifyHMACSecret = HS256, VerifyRSAPublicKey = RS256) and the header's alg is never compared
-- with it (the header parser only refuses an alg other than HS256/RS256). So the profile's
-- algorithms are pinned by the signer the adapter builds: HMAC only when HS256 is allowed, RSA
-- only when RS256 is allowed (a key of a family the profile does not allow is a config_error:
-- the library could not be configured for it).
--
-- Keys: jwt 0.11 has no JWK support. The adapter parses the key set (aeson), picks the JWK whose
-- kid equals the token header's (read leniently, for selection only: Web.JWT's header type keeps
-- kid, but only after its own parse succeeds), else the first key, and converts it minimally: oct
-- -> the bytes of k (VerifyHMACSecret), RSA -> cryptonite's PublicKey {n, e, size = bytes of n}
-- (VerifyRSAPublicKey; readRsaPublicKey takes PEM only). Other key types are a config_error.
--
-- Left out, and why: ES*, PS*, HS384/512, RS384/512, EdDSA (jwt 0.11 has HS256 and RS256 only);
-- no claim validation at all (exp, nbf, iat, iss, aud, sub, jti, nonce: Web.JWT only decodes
-- them), no clock feature, no typ setting. Presets: rfc9068, jwt and oidc-id-token are declared
-- because the library can be used for each as far as it goes (signature only): its verdicts are
-- scored as they are. A token that is not UTF-8 is skipped (the API takes Text). Errors:
-- verify's Nothing -> signature_invalid (it fails only on a digest mismatch); decode's Nothing
-- is unmapped. Claims of an accept are the library's JWTClaimsSet, encoded by its ToJSON.
module Main (main) where

import qualified Crypto.PubKey.RSA.Types as RSA
import qualified Data.Aeson as A
import qualified Data.Aeson.KeyMap as KM
import qualified Data.ByteString as BS
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE
import JwtConformanceAdapter
import qualified Web.JWT as JWT

#ifndef LIB_VERSION
#define LIB_VERSION "unknown"
#endif

member :: A.Object -> A.Key -> Maybe BS.ByteString
member o k = case KM.lookup k o of
  Just (A.String s) -> base64UrlDecodeLenient (TE.encodeUtf8 s)
  _ -> Nothing

integer :: BS.ByteString -> Integer
integer = BS.foldl' (\acc b -> acc * 256 + toInteger b) 0

-- The VerifySigner of the picked JWK, or why not.
signer :: [T.Text] -> A.Value -> Either T.Text JWT.VerifySigner
signer algs (A.Object jwk) = case KM.lookup "kty" jwk of
  Just (A.String "oct")
    | "HS256" `notElem` algs -> Left "oct key, but HS256 (jwt 0.11's only HMAC algorithm) is not among the profile's algorithms"
    | Just k <- member jwk "k" -> Right (JWT.VerifyHMACSecret k)
    | otherwise -> Left "oct JWK without a base64url k"
  Just (A.String "RSA")
    | "RS256" `notElem` algs -> Left "RSA key, but RS256 (jwt 0.11's only RSA algorithm) is not among the profile's algorithms"
    | Just n <- member jwk "n", Just e <- member jwk "e" ->
        Right (JWT.VerifyRSAPublicKey (RSA.PublicKey (BS.length (BS.dropWhile (== 0) n)) (integer n) (integer e)))
    | otherwise -> Left "RSA JWK without base64url n and e"
  _ -> Left "key type jwt 0.11 cannot verify with (kty not oct or RSA)"
signer _ _ = Left "key is not a JSON object"

verify :: Request -> IO Response
verify req = pure $ case A.decodeStrict (reqJwks req) of
  Nothing -> ConfigError "key set is not JSON (aeson)" Nothing
  Just set -> case pickKey set (reqToken req) of
    Nothing -> ConfigError "key set has no key to convert" Nothing
    Just jwk -> case signer (profileTexts req "algorithms") jwk of
      Left why -> ConfigError why Nothing
      Right s -> case reqTokenText req of
        Nothing -> Skipped "Web.JWT takes Text: the token is not UTF-8"
        Just token -> case JWT.decode token of
          Nothing -> Reject "Web.JWT.decode: Nothing (not a JWT it can parse)" Nothing
          Just unverified -> case JWT.verify s unverified of
            Nothing -> Reject "Web.JWT.verify: Nothing (signature does not verify)" (Just "signature_invalid")
            Just verified -> Accept (A.toJSON (JWT.claims verified))

main :: IO ()
main = serve (hello "haskell-jwt" "jwt (Haskell)" LIB_VERSION)
  { helloAlgorithms = ["RS256", "HS256"]
  , helloPresets = ["rfc9068", "jwt", "oidc-id-token"]
  , helloNotes =
      [ "Web.JWT.decode then verify with one VerifySigner: VerifyHMACSecret (oct k) when HS256 is allowed, VerifyRSAPublicKey (RSA n, e) when RS256 is allowed; the JWK whose kid matches the token's, else the first"
      , "signature only: jwt 0.11 validates no claim (exp, nbf, iat, iss, aud, required claims), takes no clock, has no typ setting and ignores the header's alg (the signer's type is the algorithm); HS256 and RS256 only"
      ]
  }
  verify
