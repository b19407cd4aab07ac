/**
 * The Route 53 hosted zone of API Gateway's Regional endpoints (the execute-api domain), per Region: what
 * an alias record to a Regional custom domain's `d-….execute-api.<region>.amazonaws.com` name must name
 * (AWS General Reference, "Amazon API Gateway endpoints and quotas", Route 53 Hosted Zone ID column).
 * A Region missing here is refused at deploy time rather than guessed: add it from that page.
 */
export const API_GATEWAY_REGIONAL_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'af-south-1': 'Z2DHW2332DAMTN',
  'ap-east-1': 'Z3FD1VL90ND7K5',
  'ap-east-2': 'Z02909591O7FG9Q56HWB1',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'ap-south-2': 'Z0853509Q1135NJ66RUH',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ap-southeast-3': 'Z10132843TYUYSLUG4HA3',
  'ap-southeast-4': 'Z092189423Y7RJK61311D',
  'ap-southeast-5': 'Z0314042F0KBUTZ3X5HF',
  'ap-southeast-7': 'Z048508712PZLK5NKG8R0',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-northeast-3': 'Z22ILHG95FLSZ2',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'ca-west-1': 'Z04745493436AWVTG1OQY',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-central-2': 'Z09222482MK253X48U76H',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'eu-south-1': 'Z3BT4WSQ9TDYZV',
  'eu-south-2': 'Z02499852UI5HEQ5JVWX3',
  'eu-north-1': 'Z3UWIKFBOOGXPP',
  'il-central-1': 'Z07264553HBI44N5X2CKP',
  'me-south-1': 'Z20ZBPC0SS8806',
  'me-central-1': 'Z08780021BKYYY8U0YHTV',
  'mx-central-1': 'Z00020171WIGL5M88SHRM',
  'sa-east-1': 'ZCMLWB8V5SYIT',
};

/** The one hosted zone of every edge-optimized (CloudFront) API Gateway endpoint: never a Regional target. */
export const API_GATEWAY_EDGE_ZONE = 'Z2FDTNDATAQYW2';
