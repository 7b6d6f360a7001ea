{-# LANGUAGE OverloadedStrings #-}
-- | Helper for jwt-conformance subprocess adapters written in Haskell (protocol version 3), on
-- aeson and base64-bytestring (Debian libghc-aeson-dev, libghc-base64-bytestring-dev).
--
-- The runner talks to an adapter process in JSON lines over stdin/stdout (docs/adapters.md,
-- "The subprocess protocol"). 'serve' runs that loop: it prints the hello, reads one request per
-- line (at most 64 MiB), decodes token_b64 and jwks_base64 (strict standard base64), calls the
-- adapter's verify function and writes its 'Response' as one compact JSON line. API and test:
-- adapters/haskell/README.md.
module JwtConformanceAdapter
  ( Hello (..)
  , hello
  , Request (..)
  , Response (..)
  , serve
  , profileText
  , profileInt
  , profileTexts
  , preset
  , requiredClaims
  , algReason
  , missingClaimReason
  , base64UrlDecodeLenient
  , peekHeader
  , pickKey
  , maxLine
  ) where

import Control.Exception (SomeException, evaluate, try)
import qualified Data.Aeson as A
import qualified Data.Aeson.Key as K
import qualified Data.Aeson.KeyMap as KM
import qualified Data.ByteString as BS
import qualified Data.ByteString.Base64 as B64
import qualified Data.ByteString.Base64.URL as B64U
import qualified Data.ByteString.Char8 as BC
import qualified Data.ByteString.Lazy as BL
import qualified Data.ByteString.Builder as B
import Data.List (intersperse)
import Data.Maybe (fromMaybe)
import Data.Scientific (FPFormat (Generic), base10Exponent, coefficient, formatScientific, toBoundedInteger)
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE
import qualified Data.Vector as V
import System.Exit (ExitCode (..), exitWith)
import System.IO

-- | Who the adapter is: the hello's members (protocol 3).
data Hello = Hello
  { helloName :: T.Text
  , helloLibrary :: T.Text
  , helloVersion :: T.Text
  , helloFeatures :: [T.Text]
  , helloAlgorithms :: [T.Text]
  , helloPresets :: [T.Text]
  , helloClaims :: Bool -- ^ accept claims are the library's own decoded payload
  , helloNotes :: [T.Text]
  }

-- | A hello with no features, ES256 under rfc9068, claims compared, no notes.
hello :: T.Text -> T.Text -> T.Text -> Hello
hello name library version = Hello name library version [] ["ES256"] ["rfc9068"] True []

-- | One request: one step of one vector.
data Request = Request
  { reqId :: T.Text
  , reqStep :: Integer
  , reqVersion :: Integer
  , reqToken :: BS.ByteString -- ^ the token's exact bytes (token_b64)
  , reqTokenText :: Maybe T.Text -- ^ the same bytes as text, Nothing when not UTF-8
  , reqJwks :: BS.ByteString -- ^ the key set's exact bytes (jwks_base64; version 1: compact JSON of jwks)
  , reqJwksJson :: A.Value -- ^ the request's parsed jwks (Null when absent)
  , reqProfile :: A.Object -- ^ the profile (empty when absent)
  , reqNow :: Integer -- ^ Unix seconds
  , reqRaw :: A.Object -- ^ the whole request
  }

-- | What the adapter answers. Texts are the library's own.
data Response
  = Accept A.Value -- ^ the library's decoded claims
  | AcceptNote T.Text -- ^ accepted, claims null with this note
  | Reject T.Text (Maybe T.Text) -- ^ error text, reason ID of docs/reasons.md
  | ConfigError T.Text (Maybe T.Text) -- ^ error text, config-error code
  | Skipped T.Text
  | AdapterError T.Text

-- | Longest request line read: a longer one ends the process with status 1.
maxLine :: Int
maxLine = 64 * 1024 * 1024

runnerMaxLine :: Int
runnerMaxLine = 1024 * 1024

runnerMaxDepth :: Int
runnerMaxDepth = 2048

maxText :: Int
maxText = 1024

-- Texts: at most 1024 UTF-8 bytes, cut at a character boundary.
text :: T.Text -> A.Value
text t = A.String (cut t)
  where
    cut s
      | BS.length (TE.encodeUtf8 s) <= maxText = s
      | otherwise = cut (T.take (max 0 (T.length s - max 1 ((BS.length (TE.encodeUtf8 s) - maxText) `div` 4))) s)

nullable :: Maybe T.Text -> A.Value
nullable = maybe A.Null text

responseObject :: Response -> [(K.Key, A.Value)]
responseObject r = case r of
  Accept claims -> [("outcome", "accept"), ("claims", claims)]
  AcceptNote note -> [("outcome", "accept"), ("claims", A.Null), ("claims_note", text note)]
  Reject e reason -> [("outcome", "reject"), ("error", text e), ("reason", nullable reason)]
  ConfigError e code -> [("outcome", "config_error"), ("error", text e), ("code", nullable code)]
  Skipped why -> [("outcome", "skipped"), ("why", text why)]
  AdapterError e -> [("outcome", "adapter_error"), ("error", text e)]

-- | A profile member that is a string.
profileText :: Request -> T.Text -> Maybe T.Text
profileText req key = case KM.lookup (K.fromText key) (reqProfile req) of
  Just (A.String s) -> Just s
  _ -> Nothing

-- | A profile member that is an integer, else the default.
profileInt :: Request -> T.Text -> Integer -> Integer
profileInt req key dflt = case KM.lookup (K.fromText key) (reqProfile req) of
  Just (A.Number n) | Just i <- (toBoundedInteger n :: Maybe Int) -> toInteger i
  _ -> dflt

-- | The strings of an array member (audiences, algorithms, required_claims); [] when absent.
profileTexts :: Request -> T.Text -> [T.Text]
profileTexts req key = case KM.lookup (K.fromText key) (reqProfile req) of
  Just (A.Array xs) -> [s | A.String s <- V.toList xs]
  _ -> []

-- | The profile's preset: rfc9068 when absent or null.
preset :: Request -> T.Text
preset req = fromMaybe "rfc9068" (profileText req "preset")

-- | The claims the profile requires: required_claims when present, else the preset's default
-- (rfc9068 exp iat iss aud sub client_id jti; jwt none; oidc-id-token iss sub aud exp iat).
requiredClaims :: Request -> [T.Text]
requiredClaims req = case KM.lookup "required_claims" (reqProfile req) of
  Just (A.Array _) -> profileTexts req "required_claims"
  _ -> case preset req of
    "jwt" -> []
    "oidc-id-token" -> ["iss", "sub", "aud", "exp", "iat"]
    _ -> ["exp", "iat", "iss", "aud", "sub", "client_id", "jti"]

-- | The reason family of a header's alg (Nothing: absent or not a string), to label a
-- library's "algorithm not allowed" error.
algReason :: Maybe A.Value -> T.Text
algReason (Just (A.String a))
  | T.toLower a == "none" = "alg_none"
  | a `elem` ["HS256", "HS384", "HS512"] = "alg_hmac_rejected"
  | a `elem` ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] = "alg_rsa_rejected"
  | a `elem` ["ES256", "ES384", "ES512", "ES256K"] = "alg_ecdsa_rejected"
  | otherwise = "alg_not_allowed"
algReason _ = "alg_none"

-- | The catalog reason ID for a missing required claim, or Nothing for another claim.
missingClaimReason :: T.Text -> Maybe T.Text
missingClaimReason c = lookup c
  [ ("exp", "exp_missing"), ("iat", "iat_missing"), ("iss", "iss_mismatch"), ("aud", "aud_missing")
  , ("sub", "sub_missing"), ("client_id", "client_id_missing"), ("jti", "jti_missing") ]

-- | base64url, lenient (padding and either alphabet tolerated).
base64UrlDecodeLenient :: BS.ByteString -> Maybe BS.ByteString
base64UrlDecodeLenient s =
  let body = BC.map (\c -> if c == '+' then '-' else if c == '/' then '_' else c) (BC.takeWhile (/= '=') s)
   in either (const Nothing) Just (B64U.decodeUnpadded body)

-- | The token's header read leniently (first segment, base64url, any JSON value), for key
-- selection only when the library has no header parser of its own.
peekHeader :: BS.ByteString -> Maybe A.Value
peekHeader token = base64UrlDecodeLenient (BC.takeWhile (/= '.') token) >>= A.decodeStrict

-- | The JWK of a key set whose kid equals the token header's, else the first; Nothing when the
-- set has no keys array or it is empty.
pickKey :: A.Value -> BS.ByteString -> Maybe A.Value
pickKey (A.Object set) token = case KM.lookup "keys" set of
  Just (A.Array keys) | not (V.null keys) ->
    let kid = case peekHeader token of
          Just (A.Object h) -> case KM.lookup "kid" h of
            Just k@(A.String _) -> Just k
            _ -> Nothing
          _ -> Nothing
        matches k = case (k, kid) of
          (A.Object o, Just want) -> KM.lookup "kid" o == Just want
          _ -> False
     in Just (fromMaybe (V.head keys) (V.find matches keys))
  _ -> Nothing
pickKey _ _ = Nothing

depth :: Int -> A.Value -> Int
depth limit v
  | limit <= 0 = 0
  | otherwise = case v of
      A.Object o -> 1 + maximum (0 : map (depth (limit - 1) . snd) (KM.toList o))
      A.Array a -> 1 + maximum (0 : map (depth (limit - 1)) (V.toList a))
      _ -> 0

-- | Reads one line of at most maxLine bytes: Right Nothing at end of input, Left on a longer line.
type Buffer = BS.ByteString

readLine :: Handle -> Buffer -> IO (Either String (Maybe (BS.ByteString, Buffer)))
readLine h = go []
  where
    go acc buf = case BC.elemIndex '\n' buf of
      Just i -> pure (Right (Just (BS.concat (reverse (BS.take i buf : acc)), BS.drop (i + 1) buf)))
      Nothing -> do
        let acc' = buf : acc
        if sum (map BS.length acc') > maxLine
          then pure (Left "longer than 64 MiB")
          else do
            chunk <- BS.hGetSome h 65536
            if BS.null chunk
              then pure (if all BS.null acc' then Right Nothing else Right (Just (BS.concat (reverse acc'), BS.empty)))
              else go acc' chunk

-- | Prints the hello, then answers every request line on stdin until it closes (exit 0). A line
-- that is not JSON or has no string id and integer step, or is longer than 64 MiB, is reported on
-- stderr and ends the process with status 1. A request that cannot be decoded gets an
-- adapter_error; an exception from verify is a rejection whose text starts "unexpected " (the
-- library failed closed).
serve :: Hello -> (Request -> IO Response) -> IO ()
serve h verify = do
  hSetBinaryMode stdin True
  hSetBinaryMode stdout True
  hSetBuffering stdout (BlockBuffering Nothing)
  let line = BL.toStrict . A.encode
      strings = A.toJSON
  BC.putStrLn $ line $ A.object
    [ ("protocol", "jwt-conformance-adapter"), ("version", A.Number 3), ("name", A.String (helloName h))
    , ("library", A.String (helloLibrary h)), ("library_version", A.String (helloVersion h))
    , ("features", strings (helloFeatures h)), ("algorithms", strings (helloAlgorithms h))
    , ("presets", strings (helloPresets h)), ("exact", A.Bool False), ("claims", A.Bool (helloClaims h))
    , ("notes", A.toJSON (map text (helloNotes h))) ]
  hFlush stdout
  let loop :: Int -> Buffer -> IO ()
      loop n buf = do
        r <- readLine stdin buf
        case r of
          Left why -> giveUp n why
          Right Nothing -> pure ()
          Right (Just (l, rest))
            | BC.all (`elem` (" \t\r" :: String)) l -> loop (n + 1) rest
            | otherwise -> case identify l of
                Nothing -> giveUp n "not a request"
                Just (raw, ident, step) -> do
                  answer <- case decodeRequest raw ident step of
                    Left why -> pure (AdapterError why)
                    Right req -> do
                      res <- try (verify req >>= \a -> evaluate (forceResponse a))
                      pure $ case res of
                        Right a -> a
                        Left e -> Reject (T.pack ("unexpected " ++ show (e :: SomeException))) Nothing
                  BC.putStrLn (encodeAnswer ident step answer)
                  hFlush stdout
                  loop (n + 1) rest
      giveUp n why = do
        hPutStrLn stderr (T.unpack (helloName h) ++ ": request line " ++ show n ++ ": " ++ why ++ "; giving up")
        exitWith (ExitFailure 1)
  loop 1 BS.empty

-- | Compact JSON of a value, as aeson writes it except for numbers: aeson writes a number whose
-- decimal exponent is at most 1024 as an integer of that many digits (1.7976931348623157e308
-- becomes a 309-digit integer, which the runner's parser refuses), so numbers other than
-- integers of 64 bits are written in exponent form (Data.Scientific's Generic format).
encodeJson :: A.Value -> BS.ByteString
encodeJson = BL.toStrict . B.toLazyByteString . go
  where
    go v = case v of
      A.Object o -> B.char7 '{' <> commas [A.fromEncoding (A.toEncoding (K.toText k)) <> B.char7 ':' <> go x | (k, x) <- KM.toList o] <> B.char7 '}'
      A.Array a -> B.char7 '[' <> commas (map go (V.toList a)) <> B.char7 ']'
      A.Number n
        | base10Exponent n >= 0 && base10Exponent n < 19
        , i <- coefficient n * 10 ^ base10Exponent n
        , abs i < 2 ^ (63 :: Int) ->
            B.integerDec i
        | otherwise -> B.string7 (formatScientific Generic Nothing n)
      _ -> B.lazyByteString (A.encode v)
    commas = mconcat . intersperse (B.char7 ',')

-- Forces a response fully (an exception hidden in lazy claims surfaces inside the try).
forceResponse :: Response -> Response
forceResponse r = BS.length (encodeJson (A.object (responseObject r))) `seq` r

encodeAnswer :: T.Text -> Integer -> Response -> BS.ByteString
encodeAnswer ident step answer =
  let members a = ("id", A.String ident) : ("step", A.Number (fromInteger step)) : responseObject a
      enc = encodeJson . A.object . members
      tooDeep = case answer of
        Accept c -> depth (runnerMaxDepth + 1) c > runnerMaxDepth
        _ -> False
      first = if tooDeep then enc (AcceptNote "claims nest deeper than the runner's 2048 levels") else enc answer
   in case answer of
        Accept _ | BS.length first > runnerMaxLine -> enc (AcceptNote "claims longer than the runner's 1 MiB line")
        _ -> first

identify :: BS.ByteString -> Maybe (A.Object, T.Text, Integer)
identify l = case A.decodeStrict l of
  Just (A.Object o) -> case (KM.lookup "id" o, KM.lookup "step" o) of
    (Just (A.String i), Just (A.Number s)) | Just st <- (toBoundedInteger s :: Maybe Int) -> Just (o, i, toInteger st)
    _ -> Nothing
  _ -> Nothing

decodeRequest :: A.Object -> T.Text -> Integer -> Either T.Text Request
decodeRequest raw ident step = do
  case KM.lookup "type" raw of
    Just (A.String "verify") -> Right ()
    Nothing -> Right ()
    _ -> Left "not a verify request"
  token <- case KM.lookup "token_b64" raw of
    Just (A.String s) -> either (const (Left "token_b64 is not base64")) Right (B64.decode (TE.encodeUtf8 s))
    _ -> Left "no token_b64"
  let version = case KM.lookup "version" raw of
        Just (A.Number n) | Just v <- (toBoundedInteger n :: Maybe Int) -> toInteger v
        _ -> 3
      jwksJson = fromMaybe A.Null (KM.lookup "jwks" raw)
  jwks <- case KM.lookup "jwks_base64" raw of
    Just (A.String s) -> either (const (Left "jwks_base64 is not base64")) Right (B64.decode (TE.encodeUtf8 s))
    Just _ -> Left "jwks_base64 is not a string"
    Nothing
      | version == 1 -> Right (BL.toStrict (A.encode jwksJson))
      | otherwise -> Left "no jwks_base64"
  let profile = case KM.lookup "profile" raw of
        Just (A.Object p) -> p
        _ -> KM.empty
      now = case KM.lookup "now" raw of
        Just (A.Number n) | Just v <- (toBoundedInteger n :: Maybe Int) -> toInteger v
        _ -> 0
  pure Request
    { reqId = ident, reqStep = step, reqVersion = version, reqToken = token
    , reqTokenText = either (const Nothing) Just (TE.decodeUtf8' token)
    , reqJwks = jwks, reqJwksJson = jwksJson, reqProfile = profile, reqNow = now, reqRaw = raw }
