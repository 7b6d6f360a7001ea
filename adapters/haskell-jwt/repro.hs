-- | jwt 0.11 (Web.JWT) accepts an RS256-signed token whose header has no alg at all: the
-- library never reads the header's alg when it verifies (the VerifySigner's constructor is the
-- algorithm), and its header parser takes alg as optional (Maybe Algorithm). RFC 7515 §4.1.1
-- (RFC7515-4.1.1-alg): alg is REQUIRED; a token without one must be refused (M01, the alg-none
-- family). The same root cause accepts an empty header object and headers whose alg is hidden
-- behind a duplicate or an escaped name (across/rs256-json-header-*). jwt 0.11 has no
-- algorithm or header setting.
--
-- Reproduces: across/rs256-alg-missing (forgery)
--
-- jwt is configured exactly as the jwt-conformance adapter does (adapters/haskell-jwt/adapter.hs):
-- the profile allows RS256 only, so the signer is VerifyRSAPublicKey with cryptonite's PublicKey
-- built from the key set's RSA JWK (kid "rsa-2048": n and e, size = bytes of n), then
-- Web.JWT.decode and Web.JWT.verify (decodeAndVerifySignature is exactly verify =<< decode).
--
-- Run (Debian libghc-jwt-dev installed): bash scripts/setup/haskell.sh && adapters/haskell-jwt/bin/repro
-- or: runghc adapters/haskell-jwt/repro.hs
{-# LANGUAGE OverloadedStrings #-}
module Main (main) where

import qualified Crypto.PubKey.RSA.Types as RSA
import qualified Data.ByteString as BS
import qualified Data.ByteString.Base64.URL as B64U
import qualified Data.ByteString.Char8 as BC
import qualified Data.Text as T
import qualified Data.Text.IO as TIO
import System.Exit (exitFailure)
import qualified Web.JWT as JWT

token :: T.Text
token =
  T.concat
    [ "eyJraWQiOiJyc2EtMjA0OCIsInR5cCI6ImF0K2p3dCJ9.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZ"
    , "W50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9"
    , "pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIif"
    , "Q.c6Q7qK84HidFTLBO6DlsGbBMEEaeB576tdNmVTX91OQgW3AVpRS_8r8eQ2gGY5J6ChC7wlkV1lXMU-9GBnt1FIqW"
    , "Heb49iKq2i_6NYBU513Tb04681AjzYmi6LwNDFPU0yQxK9apdGLKJaYbRO50g9rVFjr--3t5WdhRGe6uks3Pqp1yQx"
    , "FGZm_g96YWsAwn20eDqG8Y0rkthxJPpBKq8ddb1jW0Cq4K2iVpaxTuS8ap_bVme6UtjXYzHFM_T_NVLDJoDALdyFT7"
    , "Qnnd-V66znCESmrngdP0Ogr2dvFEA7CUKnEkTE-Lh0SALw1Sv0u_aXVIN6a0semDfP6OJstG-w"
    ]

modulus :: T.Text
modulus =
  T.concat
    [ "2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9"
    , "plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtI"
    , "CKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI"
    , "6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw"
    ]

integer :: BS.ByteString -> Integer
integer = BS.foldl' (\acc b -> acc * 256 + toInteger b) 0

main :: IO ()
main = do
  let Right n = B64U.decodeUnpadded (BC.pack (T.unpack modulus))
      Right e = B64U.decodeUnpadded "AQAB"
      key = RSA.PublicKey (BS.length (BS.dropWhile (== 0) n)) (integer n) (integer e)
  case JWT.decode token >>= JWT.verify (JWT.VerifyRSAPublicKey key) of
    Just verified ->
      TIO.putStrLn $ T.concat
        [ "REPRODUCED across/rs256-alg-missing: Web.JWT.verify accepted a token with a header with kid and typ only (header "
        , T.pack (show (JWT.header verified)), ", sub "
        , maybe "none" JWT.stringOrURIToText (JWT.sub (JWT.claims verified)), ")" ]
    Nothing -> do
      TIO.putStrLn "NOT REPRODUCED across/rs256-alg-missing: Web.JWT refused the token"
      exitFailure
