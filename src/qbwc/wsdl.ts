/**
 * Our WSDL for the Web Connector callback service, generated from the operation table below so every
 * operation is declared the same way. It is equal in contract to Intuit's QBWebConnectorSvc.wsdl
 * (namespace http://developer.intuit.com/, document/literal, SOAPAction http://developer.intuit.com/<op>,
 * the same element and message names, ArrayOfString for authenticate) and adds what Intuit's sample leaves
 * out: serverVersion, clientVersion and the three interactive-mode calls (docs/qbwc-qbxml.md §2.1, 2.2, 2.9).
 */
export const QBWC_NAMESPACE = 'http://developer.intuit.com/';

type XsdType = 's:string' | 's:int' | 'tns:ArrayOfString';

interface OperationSpec {
  readonly params: ReadonlyArray<readonly [name: string, type: XsdType]>;
  readonly result: XsdType;
}

/** Every callback QBWC makes, with its parameters in wire order and its result type. */
export const QBWC_OPERATIONS = {
  serverVersion: { params: [['strVersion', 's:string']], result: 's:string' },
  clientVersion: { params: [['strVersion', 's:string']], result: 's:string' },
  authenticate: { params: [['strUserName', 's:string'], ['strPassword', 's:string']], result: 'tns:ArrayOfString' },
  sendRequestXML: {
    params: [
      ['ticket', 's:string'], ['strHCPResponse', 's:string'], ['strCompanyFileName', 's:string'],
      ['qbXMLCountry', 's:string'], ['qbXMLMajorVers', 's:int'], ['qbXMLMinorVers', 's:int'],
    ],
    result: 's:string',
  },
  receiveResponseXML: {
    params: [['ticket', 's:string'], ['response', 's:string'], ['hresult', 's:string'], ['message', 's:string']],
    result: 's:int',
  },
  connectionError: { params: [['ticket', 's:string'], ['hresult', 's:string'], ['message', 's:string']], result: 's:string' },
  getLastError: { params: [['ticket', 's:string']], result: 's:string' },
  closeConnection: { params: [['ticket', 's:string']], result: 's:string' },
  getInteractiveURL: { params: [['wcTicket', 's:string'], ['sessionID', 's:string']], result: 's:string' },
  interactiveDone: { params: [['wcTicket', 's:string']], result: 's:string' },
  interactiveRejected: { params: [['wcTicket', 's:string'], ['reason', 's:string']], result: 's:string' },
} as const satisfies Record<string, OperationSpec>;

export type QbwcOperationName = keyof typeof QBWC_OPERATIONS;

/** The WSDL document, with `location` as the service address. */
export function buildQbwcWsdl(location: string): string {
  const ops = Object.entries(QBWC_OPERATIONS) as Array<[QbwcOperationName, OperationSpec]>;
  // Ints are required (minOccurs 1) as in Intuit's WSDL; strings may be absent or empty.
  const element = (name: string, type: XsdType) =>
    `<s:element minOccurs="${type === 's:int' ? 1 : 0}" maxOccurs="1" name="${name}" type="${type}" />`;
  const types = ops
    .map(
      ([op, spec]) =>
        `<s:element name="${op}"><s:complexType><s:sequence>${spec.params.map(([n, t]) => element(n, t)).join('')}</s:sequence></s:complexType></s:element>` +
        `<s:element name="${op}Response"><s:complexType><s:sequence>${element(`${op}Result`, spec.result)}</s:sequence></s:complexType></s:element>`,
    )
    .join('\n      ');
  const messages = ops
    .map(
      ([op]) =>
        `<wsdl:message name="${op}SoapIn"><wsdl:part name="parameters" element="tns:${op}" /></wsdl:message>` +
        `<wsdl:message name="${op}SoapOut"><wsdl:part name="parameters" element="tns:${op}Response" /></wsdl:message>`,
    )
    .join('\n  ');
  const portOps = ops
    .map(([op]) => `<wsdl:operation name="${op}"><wsdl:input message="tns:${op}SoapIn" /><wsdl:output message="tns:${op}SoapOut" /></wsdl:operation>`)
    .join('\n    ');
  const bindingOps = ops
    .map(
      ([op]) =>
        `<wsdl:operation name="${op}"><soap:operation soapAction="${QBWC_NAMESPACE}${op}" style="document" />` +
        '<wsdl:input><soap:body use="literal" /></wsdl:input><wsdl:output><soap:body use="literal" /></wsdl:output></wsdl:operation>',
    )
    .join('\n    ');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="${QBWC_NAMESPACE}" targetNamespace="${QBWC_NAMESPACE}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${QBWC_NAMESPACE}">
      <s:complexType name="ArrayOfString"><s:sequence><s:element minOccurs="0" maxOccurs="unbounded" name="string" nillable="true" type="s:string" /></s:sequence></s:complexType>
      ${types}
    </s:schema>
  </wsdl:types>
  ${messages}
  <wsdl:portType name="QBWebConnectorSvcSoap">
    ${portOps}
  </wsdl:portType>
  <wsdl:binding name="QBWebConnectorSvcSoap" type="tns:QBWebConnectorSvcSoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http" />
    ${bindingOps}
  </wsdl:binding>
  <wsdl:service name="QBWebConnectorSvc">
    <wsdl:port name="QBWebConnectorSvcSoap" binding="tns:QBWebConnectorSvcSoap"><soap:address location="${escapeAttr(location)}" /></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
