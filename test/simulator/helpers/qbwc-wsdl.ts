/**
 * A WSDL for the Web Connector callback service, written for the tests from the contract in
 * docs/qbwc-qbxml.md §1–§2 (not a copy of Intuit's file): SOAP 1.1, document/literal, target namespace
 * `http://developer.intuit.com/`, qualified child elements, SOAPAction `http://developer.intuit.com/<op>`.
 * The test SOAP server (node-soap `listen`) is built from it, so the emulator's hand-written envelopes are
 * checked against an independent SOAP stack.
 */

const NS = 'http://developer.intuit.com/';

/** Operation name → [request parts (name, XSD type)], response part type. */
const OPERATIONS: ReadonlyArray<{ name: string; inputs: ReadonlyArray<[string, string]>; result: string }> = [
  { name: 'serverVersion', inputs: [], result: 's:string' },
  { name: 'clientVersion', inputs: [['strVersion', 's:string']], result: 's:string' },
  {
    name: 'authenticate',
    inputs: [
      ['strUserName', 's:string'],
      ['strPassword', 's:string'],
    ],
    result: 'tns:ArrayOfString',
  },
  {
    name: 'sendRequestXML',
    inputs: [
      ['ticket', 's:string'],
      ['strHCPResponse', 's:string'],
      ['strCompanyFileName', 's:string'],
      ['qbXMLCountry', 's:string'],
      ['qbXMLMajorVers', 's:int'],
      ['qbXMLMinorVers', 's:int'],
    ],
    result: 's:string',
  },
  {
    name: 'receiveResponseXML',
    inputs: [
      ['ticket', 's:string'],
      ['response', 's:string'],
      ['hresult', 's:string'],
      ['message', 's:string'],
    ],
    result: 's:int',
  },
  {
    name: 'connectionError',
    inputs: [
      ['ticket', 's:string'],
      ['hresult', 's:string'],
      ['message', 's:string'],
    ],
    result: 's:string',
  },
  { name: 'getLastError', inputs: [['ticket', 's:string']], result: 's:string' },
  { name: 'closeConnection', inputs: [['ticket', 's:string']], result: 's:string' },
];

/** The operation names the Web Connector calls, in the order they usually appear. */
export const QBWC_OPERATION_NAMES = OPERATIONS.map((op) => op.name);

function element(name: string, type: string): string {
  // Ints are required (minOccurs 1) in the contract; strings may be absent.
  const min = type === 's:int' ? 1 : 0;
  return `<s:element minOccurs="${min}" maxOccurs="1" name="${name}" type="${type}"/>`;
}

export function buildQbwcWsdl(): string {
  const types = OPERATIONS.map(
    (op) => `
      <s:element name="${op.name}"><s:complexType><s:sequence>${op.inputs.map(([n, t]) => element(n, t)).join('')}</s:sequence></s:complexType></s:element>
      <s:element name="${op.name}Response"><s:complexType><s:sequence>${element(`${op.name}Result`, op.result)}</s:sequence></s:complexType></s:element>`,
  ).join('');
  const messages = OPERATIONS.map(
    (op) => `
  <wsdl:message name="${op.name}In"><wsdl:part name="parameters" element="tns:${op.name}"/></wsdl:message>
  <wsdl:message name="${op.name}Out"><wsdl:part name="parameters" element="tns:${op.name}Response"/></wsdl:message>`,
  ).join('');
  const portOps = OPERATIONS.map(
    (op) => `
    <wsdl:operation name="${op.name}"><wsdl:input message="tns:${op.name}In"/><wsdl:output message="tns:${op.name}Out"/></wsdl:operation>`,
  ).join('');
  const bindingOps = OPERATIONS.map(
    (op) => `
    <wsdl:operation name="${op.name}">
      <soap:operation soapAction="${NS}${op.name}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>`,
  ).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions targetNamespace="${NS}"
    xmlns:tns="${NS}"
    xmlns:s="http://www.w3.org/2001/XMLSchema"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">
  <wsdl:types>
    <s:schema elementFormDefault="qualified" targetNamespace="${NS}">
      <s:complexType name="ArrayOfString"><s:sequence>
        <s:element minOccurs="0" maxOccurs="unbounded" name="string" nillable="true" type="s:string"/>
      </s:sequence></s:complexType>${types}
    </s:schema>
  </wsdl:types>${messages}
  <wsdl:portType name="QBWebConnectorSvcSoap">${portOps}
  </wsdl:portType>
  <wsdl:binding name="QBWebConnectorSvcSoap" type="tns:QBWebConnectorSvcSoap">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOps}
  </wsdl:binding>
  <wsdl:service name="QBWebConnectorSvc">
    <wsdl:port name="QBWebConnectorSvcSoap" binding="tns:QBWebConnectorSvcSoap">
      <soap:address location="http://localhost/qbwc"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
