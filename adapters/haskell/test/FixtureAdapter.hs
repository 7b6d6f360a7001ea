{-# LANGUAGE OverloadedStrings #-}
-- | The adapter protocol_test.py drives (adapters/fixtures/protocol.json, its README.md): it
-- serves with the fixture's hello (the fixture's path: $JWT_CONFORMANCE_FIXTURE). `decode` answers
-- each request with the request as the helper decoded it; `hello3` the same, greeting with
-- algorithms ES256 RS256 and presets rfc9068 jwt;
-- `answer N` answers with the answer of the fixture's N-th response; `tables` prints the
-- helper's reason tables and required claims for the fixture's inputs (one JSON line).
module Main (main) where

import qualified Data.Aeson as A
import qualified Data.Aeson.Key as K
import qualified Data.Aeson.KeyMap as KM
import qualified Data.ByteString as BS
import qualified Data.ByteString.Char8 as BC
import qualified Data.ByteString.Lazy as BL
import qualified Data.Text as T
import qualified Data.Vector as V
import JwtConformanceAdapter
import System.Environment (getArgs, getEnv)
import Text.Printf (printf)

get :: T.Text -> A.Value -> A.Value
get k (A.Object o) = maybe A.Null id (KM.lookup (K.fromText k) o)
get _ _ = A.Null

texts :: A.Value -> [T.Text]
texts (A.Array xs) = [s | A.String s <- V.toList xs]
texts _ = []

str :: A.Value -> T.Text
str (A.String s) = s
str _ = ""

hex :: BS.ByteString -> T.Text
hex = T.pack . concatMap (printf "%02x") . BS.unpack

main :: IO ()
main = do
  args <- getArgs
  fixturePath <- getEnv "JWT_CONFORMANCE_FIXTURE"
  Just fixture <- A.decodeFileStrict fixturePath :: IO (Maybe A.Value)
  let given = get "given" (get "hello" fixture)
      h0 = (hello (str (get "name" given)) (str (get "library" given)) (str (get "version" given)))
        { helloFeatures = texts (get "features" given), helloNotes = texts (get "notes" given)
        , helloClaims = get "claims" given == A.Bool True }
      h = case args of
        ["hello3"] -> h0 {helloAlgorithms = ["ES256", "RS256"], helloPresets = ["rfc9068", "jwt"]}
        _ -> h0
  case args of
    ["tables"] -> tables fixture
    ["answer", n] -> do
      let A.Array responses = get "responses" fixture
          answer = get "answer" (responses V.! (read n - 1))
      serve h (\_ -> pure (toResponse answer))
    _ -> serve h (pure . decoded)

decoded :: Request -> Response
decoded req =
  let raw = reqRaw req
      bytes = case KM.lookup "jwks_base64" raw of
        Just _ -> [("jwks_hex", A.String (hex (reqJwks req)))]
        Nothing -> [("jwks_json", maybe A.Null id (A.decodeStrict (reqJwks req)))]
      field k = maybe A.Null id (KM.lookup k raw)
   in Accept $ A.object $ bytes ++
        [ ("token_hex", A.String (hex (reqToken req))), ("key_fetch", field "key_fetch")
        , ("id", A.String (reqId req)), ("step", A.Number (fromInteger (reqStep req)))
        , ("version", A.Number (fromInteger (reqVersion req)))
        , ("token_text", maybe A.Null A.String (reqTokenText req)), ("jwks", reqJwksJson req)
        , ("profile", A.Object (reqProfile req)), ("now", A.Number (fromInteger (reqNow req)))
        , ("actions", field "actions"), ("features", field "features"), ("timeout_ms", field "timeout_ms") ]

nullable :: A.Value -> Maybe T.Text
nullable (A.String s) = Just s
nullable _ = Nothing

toResponse :: A.Value -> Response
toResponse a = case str (get "outcome" a) of
  "accept" -> Accept (get "claims" a)
  "reject" -> Reject (str (get "error" a)) (nullable (get "reason" a))
  "config_error" -> ConfigError (str (get "error" a)) (nullable (get "code" a))
  "skipped" -> Skipped (str (get "why" a))
  _ -> AdapterError (str (get "error" a))

tables :: A.Value -> IO ()
tables f = do
  let A.Object algs = get "alg_reasons" f
      A.Object missing = get "missing_claim_reasons" f
      A.Array byProfile = get "required_claims_by_profile" f
      A.Array notString = get "values" (get "alg_not_a_string" f)
      request p = Request "" 0 3 "" Nothing "" A.Null (case p of A.Object o -> o; _ -> KM.empty) 0 KM.empty
      mb = maybe A.Null A.String
  BC.putStrLn $ BL.toStrict $ A.encode $ A.object
    [ ("alg_reasons", A.object [(k, A.String (algReason (Just (A.String (K.toText k))))) | (k, _) <- KM.toList algs])
    , ("alg_not_a_string", A.toJSON (map (algReason . Just) (V.toList notString) ++ [algReason Nothing]))
    , ("required_claims", A.toJSON (requiredClaims (request (A.object []))))
    , ("required_claims_by_profile", A.toJSON [requiredClaims (request (get "profile" p)) | p <- V.toList byProfile])
    , ("missing_claim_reasons", A.object [(k, mb (missingClaimReason (K.toText k))) | (k, _) <- KM.toList missing])
    , ("other_claims", A.toJSON (map (mb . missingClaimReason) (texts (get "other_claims" f)))) ]
